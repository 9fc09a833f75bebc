/* Hide events that have ended since this page was built (the site is rebuilt daily;
   without JavaScript the page still shows the list as of its build date). */
(function () {
  "use strict";
  var today = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo" }).format(new Date());
  document.querySelectorAll(".event-list--upcoming").forEach(function (list) {
    var shown = 0;
    list.querySelectorAll(":scope > li[data-end]").forEach(function (item) {
      if (item.getAttribute("data-end") < today) {
        item.hidden = true;
      } else {
        shown += 1;
      }
    });
    if (shown === 0 && list.children.length > 0) {
      var note = document.createElement("p");
      note.className = "event-list__empty";
      note.textContent = "現在ご案内できる講座・イベントはありません。";
      list.after(note);
    }
  });
})();
