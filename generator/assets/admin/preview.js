/* Previews in the editor (/admin/) that look like the site's pages: the site's own CSS, dates written
   as generator/dates.py writes them (2025年5月10日（土）10時30分〜11時30分, holidays as （月・祝）),
   the サンプル and 中止 marks of generator/templates/event.md.j2. Loaded after the editor's bundle,
   which provides window.CMS and window.h (React's createElement). The facility's name, the programs'
   names, the holidays and the stylesheets come from /admin/preview-data.json (generator/outputs/admin.py). */
(function () {
  "use strict";
  var WEEKDAYS = "日月火水木金土"; // Date.getUTCDay(): 0 is Sunday
  var STATUS = { cancelled: "中止", postponed: "延期", full: "満員" };
  var data = { facility: "", holidays: {}, programs: {}, styles: [] };

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function parseDate(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(typeof text === "string" ? text : "");
    return m ? { y: +m[1], m: +m[2], d: +m[3], iso: text } : null;
  }

  function parseTime(text) {
    var m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(typeof text === "string" ? text : "");
    return m ? { h: +m[1], min: +m[2] } : null;
  }

  function weekday(day) {
    var label = WEEKDAYS[new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay()];
    return data.holidays[day.iso] ? label + "・祝" : label;
  }

  function formatDate(day, withYear) {
    var text = day.m + "月" + day.d + "日（" + weekday(day) + "）";
    return withYear ? day.y + "年" + text : text;
  }

  function formatTime(t) { return t.min === 0 ? t.h + "時" : t.h + "時" + pad(t.min) + "分"; }

  /* dates.format_span(start_day, end_day, start, end, year=True) */
  function formatSpan(startDay, endDay, start, end) {
    var first = formatDate(startDay, true);
    if (endDay && endDay.iso !== startDay.iso) {
      var last = formatDate(endDay, endDay.y !== startDay.y);
      if (start) { return first + formatTime(start) + "〜" + last + (end ? formatTime(end) : ""); }
      return first + "〜" + last;
    }
    if (!start) { return first; }
    return first + (end ? formatTime(start) + "〜" + formatTime(end) : formatTime(start) + "から");
  }

  function fee(value) {
    if (value === undefined || value === null || value === "" || value === 0 || value === "0") { return "無料"; }
    if (/^\d+$/.test(String(value))) { return Number(value).toLocaleString("ja-JP") + "円"; }
    return String(value);
  }

  function plain(value) { return value && typeof value.toJS === "function" ? value.toJS() : value; }

  function fact(h, label, value) {
    return h("div", { key: label }, h("dt", null, label), h("dd", null, value));
  }

  function markdown(h, text) {
    if (!text) { return null; }
    var html = window.DOMPurify.sanitize(window.marked.parse(String(text)));
    return h("div", { className: "event-description", dangerouslySetInnerHTML: { __html: html } });
  }

  function image(h, props, value) {
    if (!value || !value.src) { return null; }
    var asset = props.getAsset ? props.getAsset(value.src) : null;
    var src = asset ? String(asset.url || asset) : "/images/" + value.src;
    return h("figure", { className: "event-image" }, h("img", { src: src, alt: value.alt || "" }));
  }

  function repeatText(repeat) {
    var parts = [];
    if (repeat.weekly && repeat.weekly.length) { parts.push("毎週" + repeat.weekly.join("・") + "曜日"); }
    (repeat.monthly || []).forEach(function (rule) { parts.push("毎月第" + rule.week + rule.weekday + "曜日"); });
    var from = parseDate(repeat.from);
    var until = parseDate(repeat.until);
    var span = from && until ? "（" + formatDate(from, true) + "〜" + formatDate(until, true) + "）" : "";
    return parts.join("、") + span;
  }

  /* The event page (event.md.j2): heading, marks, facts, description. */
  function EventPreview(props) {
    var h = window.h;
    var item = plain(props.entry.get("data")) || {};
    var status = item.status || "scheduled";
    var cancelled = status === "cancelled";
    var app = item.application || {};
    var facts = [];
    var startDay = parseDate(item.date);
    if (item.repeat) {
      facts.push(fact(h, "日程", repeatText(item.repeat)));
    } else {
      facts.push(fact(h, "日時", startDay ? h("time", { dateTime: item.date }, formatSpan(startDay, parseDate(item.end_date), parseTime(item.start), parseTime(item.end))) : "（日付を選んでください）"));
    }
    facts.push(fact(h, "会場", (item.venue || "") + "（" + data.facility + "）"));
    if (item.audience) { facts.push(fact(h, "対象", item.audience)); }
    if (item.capacity) { facts.push(fact(h, "定員", item.capacity + "人")); }
    facts.push(fact(h, "参加費", fee(item.fee)));
    var apply = "不要";
    if (app.required) {
      apply = "必要" + (app.method && app.method.length ? "（" + app.method.join("・") + "）" : "");
      var opens = parseDate(app.opens);
      var deadline = parseDate(app.deadline);
      if (opens || deadline) {
        apply += " 受付期間: " + (opens ? formatDate(opens, true) + "から" : "") + (deadline ? formatDate(deadline, true) + "まで" : "");
      }
      if (app.note) { apply += " " + app.note; }
    }
    facts.push(fact(h, "申込", apply));
    var program = data.programs[item.program];
    facts.push(fact(h, "主催", data.facility + (program ? "（" + program + "）" : "")));
    if (item.contact) { facts.push(fact(h, "問い合わせ", item.contact)); }
    var badges = [];
    if (status !== "scheduled") {
      badges.push(h("strong", { key: "status", className: "badge badge--status badge--" + status }, STATUS[status] || status));
      if (item.status_reason) { badges.push(h("span", { key: "reason", className: "status-reason" }, "（" + item.status_reason + "）")); }
    }
    if (item.sample) {
      badges.push(h("span", { key: "sample", className: "badge badge--sample", title: "見本のデータです。実際の催しではありません" }, "サンプル"));
    }
    return h("article", { className: "md-typeset yse-preview page page--event", lang: "ja" },
      h("h1", null, (cancelled ? "【中止】" : "") + (item.title || "（題名）")),
      h("p", { className: "event-badges" }, badges),
      item.sample ? h("p", { className: "sample-note" }, "このページは見本（サンプル）です。実際の催しのお知らせではありません。") : null,
      h("dl", { className: "facts" }, facts),
      image(h, props, item.image),
      markdown(h, item.description));
  }

  /* A notice or blog post (post.md.j2): title, date, body. */
  function PostPreview(props) {
    var h = window.h;
    var item = plain(props.entry.get("data")) || {};
    var day = parseDate(item.date);
    return h("article", { className: "md-typeset yse-preview page page--post", lang: "ja" },
      h("h1", null, item.title || "（題名）"),
      item.sample ? h("p", { className: "event-badges" }, h("span", { className: "badge badge--sample" }, "サンプル")) : null,
      day ? h("p", { className: "post-meta" }, h("time", { dateTime: item.date }, formatDate(day, true))) : null,
      markdown(h, item.body));
  }

  window.ysePreview = { formatSpan: function (a, b, c, d) {
    return formatSpan(parseDate(a), parseDate(b), parseTime(c), parseTime(d));
  }, fee: fee, EventPreview: EventPreview, PostPreview: PostPreview, data: data };

  function register(collections) {
    data.styles.forEach(function (href) { window.CMS.registerPreviewStyle(href); });
    collections.forEach(function (name) {
      window.CMS.registerPreviewTemplate(name, /^(events|series)-/.test(name) ? EventPreview : PostPreview);
    });
  }

  var loaded = window.fetch(new URL("preview-data.json", document.baseURI).href).then(function (response) {
    return response.ok ? response.json() : {};
  }).then(function (json) {
    data.facility = json.facility || "";
    data.holidays = json.holidays || {};
    data.programs = json.programs || {};
    data.styles = json.styles || [];
    if (window.CMS) { register(json.collections || []); }
  });
  window.ysePreview.ready = loaded;
})();
