/* Cell renderers of the AG Grid tables (dash-ag-grid looks them up by name). Values are set as
   text by React, never as HTML. */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions =
    window.dashAgGridComponentFunctions || {});

// A source address as a link opening in a new tab, which gets no handle on this page
// (rel="noopener noreferrer"); anything that is not an http(s) address stays plain text.
dagcomponentfuncs.SourceLink = function (props) {
    const url = String(props.value || "");
    if (!/^https?:\/\/\S+$/i.test(url)) {
        return url;
    }
    return React.createElement(
        "a",
        {
            href: url,
            target: "_blank",
            rel: "noopener noreferrer",
            title: url + (props.newTab || ""),
        },
        url
    );
};

// The kind of source as a badge: the word always, the colour only as a second cue.
dagcomponentfuncs.SourceBadge = function (props) {
    const kind = (props.data && props.data.source_kind) || "unstated";
    return React.createElement(
        "span",
        {className: "badge source-badge source-" + kind},
        String(props.value || "")
    );
};
