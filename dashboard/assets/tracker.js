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
        // Download a chart as PNG or SVG, made in the browser by plotly.js from the figure on
        // screen with the title, the goal and a source line added (meta: downloads.export_meta).
        // The buttons' ids are pattern-matching ({"chart": …, "type": "chart-png"|"chart-svg"}).
        downloadChart: function (nPng, nSvg, meta) {
            const ctx = window.dash_clientside.callback_context;
            const trigger = ctx.triggered.length ? ctx.triggered[0].prop_id : "";
            let format = "png";
            try {
                const id = JSON.parse(trigger.slice(0, trigger.lastIndexOf(".")));
                format = id.type === "chart-svg" ? "svg" : "png";
            } catch (e) {
                return window.dash_clientside.no_update;
            }
            const gd = document.querySelector("#" + meta.graph + " .js-plotly-plot");
            if (!gd || !window.Plotly) {
                return window.dash_clientside.no_update;
            }
            const figure = window.trackerCharts.exportFigure(gd, meta);
            return window.Plotly.downloadImage(figure, {
                format: format, filename: meta.filename, width: figure.layout.width,
                height: figure.layout.height,
            }).then(function () {
                return meta.done.replace("{format}", format.toUpperCase());
            });
        },
        // The upload's result appears below the preview, off screen: bring it into view and move
        // the focus to it, so that a keyboard or screen reader user hears what happened.
        revealResult: function (children) {
            const box = document.getElementById("upload-result");
            if (box && children && (!Array.isArray(children) || children.length)) {
                box.setAttribute("tabindex", "-1");
                setTimeout(function () {
                    box.scrollIntoView({block: "start", behavior: "instant"});
                    box.focus({preventScroll: true});
                }, 0);
            }
            return window.dash_clientside.no_update;
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

/* The figure a downloaded chart is drawn from: the one on screen, plus its title, its goal and a
   source line, so that the picture still says what it shows once it is pasted elsewhere. */
window.trackerCharts = {
    escape: function (text) {
        return String(text || "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    },
    exportFigure: function (gd, meta) {
        const esc = window.trackerCharts.escape;
        const layout = Object.assign({}, gd.layout);
        layout.title = {
            text: "<b>" + esc(meta.title) + "</b>" + (meta.goal ? "<br><sup>" + esc(meta.goal) + "</sup>" : ""),
            x: 0.01, xanchor: "left", y: 0.97, yanchor: "top",
        };
        layout.margin = Object.assign({}, layout.margin, {t: 90, b: 170});
        layout.annotations = (layout.annotations || []).concat([{
            text: esc(meta.source), xref: "paper", yref: "paper", x: 0, y: 0,
            xanchor: "left", yanchor: "top", yshift: -130, showarrow: false,
            font: {size: 11, color: "#444444"}, align: "left",
        }]);
        // room for the title and source line above and below the chart as drawn on screen (a
        // region's goals are taller than a series)
        const drawn = (gd._fullLayout && gd._fullLayout.height) || 420;
        layout.width = 1100;
        layout.height = Math.max(680, drawn + 260);
        return {data: gd.data, layout: layout};
    },
};
