/* Clientside callbacks of the dashboard shell (see dashboard/app.py). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    tracker: {
        // Toggle `lang=` in the current URL, keeping every other parameter (also those a page
        // wrote silently). The result goes to the router Location's `href`, not `search`: after a
        // silent history entry that Location's props are stale, and it would push its old href.
        switchLanguage: function (nClicks) {
            const params = new URLSearchParams(window.location.search);
            params.set("lang", params.get("lang") === "en" ? "zh" : "en");
            const loc = window.location;
            return loc.origin + loc.pathname + "?" + params.toString() + loc.hash;
        },
        // <html lang> follows the interface language, for screen readers and fonts.
        setDocumentLanguage: function (search) {
            const params = new URLSearchParams(search || "");
            const lang = params.get("lang") === "en" ? "en" : "zh-CN";
            document.documentElement.lang = lang;
            return lang;
        },
        // Copy one drafted paragraph (assessment page) to the clipboard; the status beside the
        // button says whether it worked. Without the async clipboard (a page served over plain
        // http to another machine) a hidden textarea and execCommand do it.
        copyParagraph: function (nClicks, text, words) {
            if (!nClicks) {
                return window.dash_clientside.no_update;
            }
            const fallback = function () {
                const area = document.createElement("textarea");
                area.value = text;
                area.setAttribute("readonly", "");
                area.style.position = "fixed";
                area.style.opacity = "0";
                document.body.appendChild(area);
                area.select();
                const ok = document.execCommand("copy");
                document.body.removeChild(area);
                return ok ? words.copied : words.failed;
            };
            if (navigator.clipboard && window.isSecureContext) {
                return navigator.clipboard.writeText(text).then(
                    function () { return words.copied; },
                    fallback
                );
            }
            return fallback();
        },
    },
});
