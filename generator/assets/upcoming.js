/* Pages are built every morning; this corrects what depends on the day when a page is viewed later
   (without JavaScript a page shows the day it was built). "Today" is the date in Japan, whatever
   the time zone of the viewer's clock.
   - event lists: events that have ended are hidden; a series shows its next date; a month with
     nothing left is hidden;
   - the home page: today's opening status (from the days the page carries) and the next seven days.
   The home and event pages also load it right after their lists (before what follows is laid out),
   so that what it hides moves nothing on the screen; it runs again at the end of every page, and
   running twice changes nothing more. */
(function () {
  "use strict";
  var today = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo" }).format(new Date());
  var EMPTY = "現在ご案内できる講座・イベントはありません。";

  function visible(element) { return !element.hidden; }

  function addEmptyNote(after) {
    var next = after.nextElementSibling;
    if (next && next.classList.contains("event-list__empty")) {
      return;
    }
    var note = document.createElement("p");
    note.className = "event-list__empty";
    note.textContent = EMPTY;
    after.after(note);
  }

  document.querySelectorAll(".event-list--upcoming").forEach(function (list) {
    var items = Array.prototype.slice.call(list.querySelectorAll(":scope > li[data-end]"));
    items.forEach(function (item) {
      if (item.getAttribute("data-end") < today) {
        item.hidden = true;
        return;
      }
      var dates = item.querySelectorAll("time[data-end]");  // a series: its next dates
      var shown = false;
      dates.forEach(function (time) {
        var show = !shown && time.getAttribute("data-end") >= today;
        time.hidden = !show;
        shown = shown || show;
      });
      if (dates.length && !shown) {  // a further date the page does not carry: the series page has it
        dates[dates.length - 1].hidden = false;
      }
    });
    var month = list.closest(".event-month");
    if (month && !items.some(visible)) {
      month.hidden = true;
    }
    if (!month && items.length && !items.some(visible)) {
      addEmptyNote(list);
    }
  });
  document.querySelectorAll(".event-months--upcoming").forEach(function (months) {
    var sections = Array.prototype.slice.call(months.querySelectorAll(":scope > .event-month"));
    if (sections.length && !sections.some(visible)) {
      addEmptyNote(months);
    }
  });

  /* A series page: dates that have passed leave the upcoming list, and 次回 moves on (the 次回 line
     of its facts, written for the build day, goes once that day has passed: the list has the next). */
  document.querySelectorAll(".next-session[data-end]").forEach(function (line) {
    line.hidden = line.getAttribute("data-end") < today;
  });
  document.querySelectorAll(".session-list--upcoming").forEach(function (list) {
    var mark = list.querySelector(".session__next");
    var next = null;
    list.querySelectorAll(":scope > li[data-end]").forEach(function (item) {
      if (item.getAttribute("data-end") < today) {
        item.hidden = true;
      } else if (!next && !item.classList.contains("session--cancelled")) {
        next = item;
      }
    });
    if (mark && next && !next.contains(mark)) {
      mark.closest("li").classList.remove("session--next");
      next.classList.add("session--next");
      next.prepend(document.createTextNode(" "));
      next.prepend(mark);
    }
  });

  /* Today's status on the home page. */
  var WEEKDAYS = "日月火水木金土";
  var status = document.getElementById("today-status");
  function dayIndex(from, day) {
    return Math.round((Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) -
      Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10))) / 86400000);
  }
  if (status) {
    var from = status.getAttribute("data-from");
    var codes = status.getAttribute("data-days") || "";
    var texts = JSON.parse(status.getAttribute("data-texts") || "[]");
    var index = dayIndex(from, today);
    var digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    var dateEl = status.querySelector(".today__date time");
    var textEl = status.querySelector(".today__text");
    var hoursEl = status.querySelector(".today__hours");
    if (index > 0 && index < codes.length) {
      var entry = texts[digits.indexOf(codes.charAt(index))];
      var day = new Date(Date.UTC(+today.slice(0, 4), +today.slice(5, 7) - 1, +today.slice(8, 10)));
      dateEl.setAttribute("datetime", today);
      dateEl.textContent = (day.getUTCMonth() + 1) + "月" + day.getUTCDate() + "日（" +
        WEEKDAYS.charAt(day.getUTCDay()) + (entry[0] ? "・祝" : "") + "）";
      textEl.textContent = "本日は" + entry[1];
      if (!hoursEl) {
        hoursEl = document.createElement("span");
        hoursEl.className = "today__hours nowrap";
        textEl.after(hoursEl);
        textEl.after(document.createTextNode(" "));
      }
      hoursEl.textContent = entry[2];
      hoursEl.hidden = !entry[2];
    } else if (index >= codes.length) {  // not rebuilt for a long time: no guess
      dateEl.closest(".today__date").hidden = true;
      textEl.textContent = "開館時間と休館日は、施設案内でご確認ください。";
      if (hoursEl) { hoursEl.hidden = true; }
    }
    var shown = 0;
    document.querySelectorAll(".week > li[data-date]").forEach(function (item) {
      var show = item.getAttribute("data-date") >= today && shown < 7;
      item.hidden = !show;
      shown += show ? 1 : 0;
    });
    var block = document.querySelector(".week-block");
    if (block) { block.hidden = shown === 0; }
  }
})();
