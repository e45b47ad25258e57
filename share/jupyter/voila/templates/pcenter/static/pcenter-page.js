/*
 * What the page itself tells assistive technology, for every pcenter app (WCAG 2.1).
 *
 * ipywidgets draws controls from the kernel and cannot set ARIA attributes, so this script,
 * loaded by the pcenter page template, keeps them right while the widgets change:
 *
 * - <html lang> follows the interface language (WCAG 3.1.1): the "lang" query parameter at
 *   once, then the shell's class "pcenter-lang-<code>", on load and after every switch;
 * - the document title is the app's title (WCAG 2.4.2);
 * - landmarks: the shell's top (title, account, status, help) is the banner, its body main;
 * - toggle groups (language, views) are named groups whose buttons say whether they are pressed
 *   (aria-pressed, WAI-ARIA 1.2 "button" pattern);
 * - sliders and inputs without a visible label are named by their widget's description;
 * - the fields a refused save names (class "pcenter-invalid", widgets/field_errors.py) are
 *   aria-invalid, described by their message beside them (aria-describedby), and the focus moves
 *   to the first of them once per refused save (WCAG 3.3.1, 3.3.3);
 * - a progress bar is a progressbar; an HTML table without a caption gets none invented, but a
 *   status text marked "pcenter-live" is announced (aria-live).
 *
 * No network, no kernel: it only reads the DOM the widgets build.
 */
(function () {
  "use strict";
  var LANGS = ["kk", "ru", "en"];
  var root = document.documentElement;
  var PLAY_NAMES = {
    kk: ["Іске қосу", "Кідірту", "Тоқтату", "Қайталау"],
    ru: ["Запустить", "Пауза", "Остановить", "Повторять"],
    en: ["Start", "Pause", "Stop", "Repeat"]
  };
  var asked = new URLSearchParams(window.location.search).get("lang");
  if (LANGS.indexOf(asked) >= 0) root.lang = asked;

  function text(el) {
    return el ? (el.textContent || "").replace(/\s+/g, " ").trim() : "";
  }

  function labelOf(widget) {
    // ipywidgets puts a control's description in a .widget-label inside the widget's box
    // (or, for a control without a visible description, the tooltip ipywidgets puts on it)
    var label = widget && widget.querySelector(":scope > .widget-label, :scope > label");
    return text(label) || (label && label.getAttribute("title")) || "";
  }

  function nearbyLabel(box) {
    // a control with no description of its own (a list of search results under its search
    // field) is named by the nearest described control before it in the same group
    for (var el = box; el && !el.classList.contains("pcenter-body"); el = el.parentElement) {
      for (var before = el.previousElementSibling; before; before = before.previousElementSibling) {
        var labels = before.querySelectorAll(".widget-label");
        for (var i = labels.length - 1; i >= 0; i--) {
          if (text(labels[i])) return text(labels[i]);
        }
      }
    }
    return "";
  }

  function hasName(el) {
    if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return true;
    if (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]')) {
      return text(document.querySelector('label[for="' + CSS.escape(el.id) + '"]')) !== "";
    }
    return !!el.closest("label") && text(el.closest("label")) !== "";
  }

  function repair() {
    var app = document.querySelector(".pcenter-app");
    if (app) {
      app.classList.forEach(function (name) {
        var found = /^pcenter-lang-(kk|ru|en)$/.exec(name);
        if (found && root.lang !== found[1]) root.lang = found[1];
      });
      var heading = document.querySelector(".pcenter-title h1");
      var title = "";
      if (heading) {
        var copy = heading.cloneNode(true);
        copy.querySelectorAll(".pcenter-home-link").forEach(function (a) { a.remove(); });
        title = text(copy).replace(/^›\s*/, "");
      }
      if (title && document.title !== title) document.title = title;
    }
    document.querySelectorAll(".pcenter-top").forEach(function (el) {
      el.setAttribute("role", "banner");
    });
    document.querySelectorAll(".pcenter-body").forEach(function (el) {
      el.setAttribute("role", "main");
    });
    document.querySelectorAll(".widget-toggle-buttons").forEach(function (group) {
      var name = labelOf(group);
      group.setAttribute("role", "group");
      if (name) group.setAttribute("aria-label", name);
      group.querySelectorAll("button").forEach(function (button) {
        var pressed = button.classList.contains("mod-active") ? "true" : "false";
        if (button.getAttribute("aria-pressed") !== pressed) button.setAttribute("aria-pressed", pressed);
      });
    });
    document.querySelectorAll(".widget-slider, .widget-hslider, .widget-vslider").forEach(function (slider) {
      var name = labelOf(slider);
      slider.querySelectorAll("[role=slider], .noUi-handle, input").forEach(function (handle) {
        if (name && handle.getAttribute("aria-label") !== name) handle.setAttribute("aria-label", name);
      });
    });
    document.querySelectorAll(".widget-inline-hbox").forEach(function (box) {
      var name = labelOf(box);
      if (!name) return;
      box.querySelectorAll("input, select, textarea").forEach(function (control) {
        if (!hasName(control)) control.setAttribute("aria-label", name);
      });
    });
    document.querySelectorAll(".widget-textarea, .widget-text, .widget-dropdown, .widget-select").forEach(function (box) {
      box.querySelectorAll("input, select, textarea").forEach(function (control) {
        if (!hasName(control)) {
          var name = control.getAttribute("placeholder") || control.getAttribute("title")
            || box.getAttribute("title") || labelOf(box) || nearbyLabel(box);
          if (name) control.setAttribute("aria-label", name);
        }
      });
    });
    // ipywidgets' Play (a timer) draws its play, pause, stop and repeat buttons as icons only
    document.querySelectorAll(".widget-play").forEach(function (play) {
      var names = PLAY_NAMES[root.lang] || PLAY_NAMES.en;
      play.querySelectorAll(":scope > button").forEach(function (button, i) {
        if (names[i] && button.getAttribute("aria-label") !== names[i]) {
          button.setAttribute("aria-label", names[i]);
          button.setAttribute("title", names[i]);
        }
      });
    });
    document.querySelectorAll(".progress").forEach(function (bar) {
      var box = bar.closest(".widget-inline-hbox");
      bar.setAttribute("role", "progressbar");
      var name = labelOf(box);
      if (name) bar.setAttribute("aria-label", name);
      var fill = bar.querySelector(".progress-bar");
      if (fill && fill.style.width) bar.setAttribute("aria-valuenow", String(parseFloat(fill.style.width)));
      bar.setAttribute("aria-valuemin", "0");
      bar.setAttribute("aria-valuemax", "100");
    });
    document.querySelectorAll(".pcenter-live").forEach(function (el) {
      el.setAttribute("aria-live", "polite");
    });
    markInvalid();
    keepFocus();
  }

  // A field and its note share a class "pcenter-field-<n>"; a refused save fills the note with a
  // span whose data-round rises with every refusal, so the focus moves once per refusal and a
  // person who then moves on is not pulled back.
  var handledRound = 0;
  function fieldKey(el) {
    for (var i = 0; i < el.classList.length; i++) {
      if (/^pcenter-field-\d+$/.test(el.classList[i])) return el.classList[i];
    }
    return "";
  }

  function markInvalid() {
    var first = null;
    var newest = handledRound;
    document.querySelectorAll("[class*='pcenter-field-']").forEach(function (box) {
      if (box.classList.contains("pcenter-field-error")) return;
      var key = fieldKey(box);
      if (!key) return;
      var note = document.querySelector(".pcenter-field-error." + key + " .pcenter-field-error-text");
      var invalid = box.classList.contains("pcenter-invalid") && note && text(note) !== "";
      var controls = box.matches("input, select, textarea")
        ? [box] : Array.prototype.slice.call(box.querySelectorAll("input, select, textarea"));
      controls.forEach(function (control) {
        if (invalid) {
          note.id = key + "-message";
          if (control.getAttribute("aria-invalid") !== "true") control.setAttribute("aria-invalid", "true");
          if (control.getAttribute("aria-describedby") !== note.id) control.setAttribute("aria-describedby", note.id);
        } else if (control.hasAttribute("aria-invalid")) {
          control.removeAttribute("aria-invalid");
          control.removeAttribute("aria-describedby");
        }
      });
      if (!invalid || !controls.length) return;
      var round = parseInt(note.getAttribute("data-round") || "0", 10);
      if (round > newest) { newest = round; first = controls[0]; }
    });
    if (first && newest > handledRound) {
      handledRound = newest;
      first.focus();
    }
  }

  // Focus never drops to <body> (WCAG 2.4.3): when the control that had it is redrawn (a
  // language switch relabels the page), it returns to the same control; when it is gone, it goes
  // to the outcome the status banner shows, else to the page's heading.
  var lastFocus = null;
  document.addEventListener("focusin", function (event) {
    var el = event.target;
    lastFocus = {
      element: el,
      text: (el.textContent || "").trim(),
      label: el.getAttribute("aria-label") || "",
      tag: el.tagName,
      group: el.closest(".pcenter-lang") ? ".pcenter-lang" : "",
    };
  });

  function keepFocus() {
    var active = document.activeElement;
    if (active && active !== document.body) return;
    // a person who clicked the page's background keeps it; only a control that vanished moves on
    if (!lastFocus || lastFocus.element.isConnected) return;
    var scope = lastFocus.group ? document.querySelector(lastFocus.group) : document;
    var same = null;
    if (scope) {
      scope.querySelectorAll(lastFocus.tag.toLowerCase()).forEach(function (el) {
        if (!same && (el.textContent || "").trim() === lastFocus.text
            && (el.getAttribute("aria-label") || "") === lastFocus.label) same = el;
      });
    }
    var outcome = document.querySelector(".pcenter-banner [role]");
    var target = same || outcome || document.querySelector(".pcenter-title h1");
    if (!target) return;
    if (target !== same && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({preventScroll: true});
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      repair();
    });
  }

  function start() {
    repair();
    new MutationObserver(schedule).observe(document.body, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ["class", "style"],
    });
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
