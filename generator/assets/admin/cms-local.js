/* Loaded before the editor (Sveltia CMS, /admin/sveltia-cms.js). The bundle asks a CDN for its
   Japanese strings; we answer from our own copy of the same npm package (/admin/locales/), so the
   editor makes no request to any host but ours and the GitHub API (generator/admin.py). */
(function () {
  "use strict";
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
