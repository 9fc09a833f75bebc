/* Loaded before the editor (Sveltia CMS, /admin/sveltia-cms.js). The bundle asks a CDN for its
   Japanese strings; we answer from our own copy of the same npm package (/admin/locales/), so the
   editor makes no request to any host but ours and the GitHub API (generator/outputs/admin.py). The editor
   speaks the browser's language; unless the user chose one in its settings, it speaks Japanese. */
(function () {
  "use strict";
  var PREFS = "sveltia-cms.prefs";
  try {
    var prefs = JSON.parse(window.localStorage.getItem(PREFS) || "{}") || {};
    if (!prefs.locale) {
      prefs.locale = "ja";
      window.localStorage.setItem(PREFS, JSON.stringify(prefs));
    }
  } catch (error) { /* storage unavailable: the browser's language */ }
  var CDN = /^https:\/\/unpkg\.com\/@sveltia\/cms@[^/]+\/locales\//;
  var here = new URL("locales/", document.baseURI).href;
  var fetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : input instanceof URL ? input.href : input && input.url;
    if (url && CDN.test(url)) {
      return fetch(url.replace(CDN, here), init);
    }
    return fetch(input, init);
  };
})();
