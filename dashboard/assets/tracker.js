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
    },
});
