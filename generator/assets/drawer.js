/* The mobile menu icon of the theme is a <label> for a hidden checkbox: not reachable by keyboard and
   unnamed. Replace it with the header's real button named メニュー (theme/partials/header.html):
   Enter/Space open, Escape closes, focus moves in and out. A file, not an inline script: the pages'
   Content Security Policy runs scripts from the site's own files only. */
(function () {
  // base.html's checkboxes have no autocomplete="off" (not allowed on a checkbox): Firefox may
  // restore one ticked on reload, so the menu and search start closed.
  ["__drawer", "__search"].forEach(function (id) {
    var box = document.getElementById(id);
    if (box && box.checked) {
      box.checked = false;
      box.dispatchEvent(new Event("change"));
    }
  });
})();
(function () {
  var toggle = document.getElementById("__drawer");
  var label = document.querySelector('.md-header label[for="__drawer"]');
  var button = document.querySelector(".md-header .drawer-button");
  var drawer = document.querySelector(".md-sidebar--primary");
  if (!toggle || !label || !button || !drawer) return;
  label.hidden = true;
  button.hidden = false;
  var sync = function () { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); };
  var close = function (refocus) {
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    if (refocus) button.focus();
  };
  sync();
  toggle.addEventListener("change", sync);
  button.addEventListener("click", function () {
    toggle.checked = !toggle.checked;
    toggle.dispatchEvent(new Event("change"));
    if (toggle.checked) {
      var first = drawer.querySelector("a[href]");
      if (first) first.focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) close(true);
  });
  drawer.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (toggle.checked && next && next !== button && !drawer.contains(next)) close(false);
  });
})();
