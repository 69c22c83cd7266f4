/* Small helpers for the agent pages. Every page works without them:
   the forms post normally and the batch page refreshes itself by <meta>. */
"use strict";

(function () {
  function onReady(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  function formatSize(bytes) {
    if (bytes < 1000 * 1000) return Math.max(1, Math.round(bytes / 1000)) + " KB";
    return (bytes / 1000 / 1000).toFixed(1) + " MB";
  }

  /* Drag-and-drop onto the zone around a file input; the input stays the
     real control (keyboard and screen readers use its own button). */
  function setUpDropzone(zone) {
    var input = zone.querySelector("input[type=file]");
    var list = zone.querySelector(".chosen-files");
    if (!input) return;

    function showChosen() {
      if (!list) return;
      list.innerHTML = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        if (file.type.indexOf("image/") === 0 && file.type !== "image/tiff") {
          var image = document.createElement("img");
          image.alt = "";
          image.src = URL.createObjectURL(file);
          item.appendChild(image);
        }
        item.appendChild(document.createTextNode(file.name + " (" + formatSize(file.size) + ")"));
        list.appendChild(item);
      });
      var status = zone.querySelector(".chosen-status");
      if (status) {
        var count = input.files.length;
        status.textContent = count === 0 ? "" :
          (count === 1 ? "1 file chosen." : count + " files chosen.");
      }
    }

    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("is-dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.remove("is-dragging");
      });
    });
    zone.addEventListener("drop", function (event) {
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || files.length === 0) return;
      if (!input.multiple && files.length > 1) {
        var only = new DataTransfer();
        only.items.add(files[0]);
        files = only.files;
      }
      input.files = files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    input.addEventListener("change", showChosen);
    showChosen();
  }

  /* While the server works: disable the button (no double submits) and say
     what is happening, with a seconds counter so a slow answer looks alive. */
  function setUpWorkingForm(form) {
    var working = document.getElementById(form.getAttribute("data-working"));
    var counter = working && working.querySelector(".working-seconds");
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      }
      if (!working) return;
      working.hidden = false;
      var started = Date.now();
      if (counter) {
        window.setInterval(function () {
          var seconds = Math.round((Date.now() - started) / 1000);
          counter.textContent = seconds === 1 ? "1 second so far." : seconds + " seconds so far.";
        }, 1000);
      }
    });
    // Coming back with the browser's Back button: the form is usable again.
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = false;
      if (working) working.hidden = true;
    });
  }

  /* The batch page: fetch the page itself and swap in the live part, so the
     bar, the counts and the list are always the server's own rendering. */
  function setUpBatchRefresh(live) {
    var seconds = parseFloat(live.getAttribute("data-refresh-seconds") || "2");
    var announcer = document.getElementById("batch-announcer");
    var lastQuarter = -1;

    function announce(progress) {
      if (!announcer) return;
      var done = progress.getAttribute("value");
      var total = progress.getAttribute("max");
      var quarter = Math.floor((100 * done) / Math.max(1, total) / 25);
      if (quarter !== lastQuarter && lastQuarter !== -1) {
        announcer.textContent = done + " of " + total + " labels checked.";
      }
      lastQuarter = quarter;
    }

    function refresh() {
      fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.text();
        })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.getElementById(live.id);
          if (!fresh) return;
          var hadFocus = live.contains(document.activeElement) && document.activeElement.id;
          live.innerHTML = fresh.innerHTML;
          live.setAttribute("data-finished", fresh.getAttribute("data-finished"));
          if (hadFocus) {
            var again = document.getElementById(hadFocus);
            if (again) again.focus();
          }
          var progress = live.querySelector("progress");
          if (progress) announce(progress);
          if (fresh.getAttribute("data-finished") === "true") {
            if (announcer) announcer.textContent = "Finished. All labels in the batch have been checked.";
          } else {
            window.setTimeout(refresh, seconds * 1000);
          }
        })
        .catch(function () {
          window.setTimeout(refresh, seconds * 3000);
        });
    }

    if (live.getAttribute("data-finished") !== "true") {
      var progress = live.querySelector("progress");
      if (progress) announce(progress);
      window.setTimeout(refresh, seconds * 1000);
    }
  }

  /* Service banner: degraded health, or the reading model still downloading. */
  function setUpServiceStatus(region) {
    var healthUrl = region.getAttribute("data-health-url");
    var modelUrl = region.getAttribute("data-model-status-url");

    function getJson(url) {
      if (!url) return Promise.resolve(null);
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .catch(function () { return null; });
    }

    function notice(level, title, text) {
      var box = document.createElement("div");
      box.className = "notice notice--" + level;
      var paragraph = document.createElement("p");
      var strong = document.createElement("strong");
      strong.textContent = title;
      paragraph.appendChild(strong);
      paragraph.appendChild(document.createTextNode(" " + text));
      box.appendChild(paragraph);
      return box;
    }

    function check() {
      Promise.all([getJson(healthUrl), getJson(modelUrl)]).then(function (answers) {
        var health = answers[0];
        var model = answers[1];
        var boxes = [];
        var again = 60;
        var state = model && model.status;
        if (state === "downloading" || state === "extracting" || state === "pending") {
          var percent = model.progress && model.progress.percentage;
          var amount = typeof percent === "number" ? " It is " + Math.floor(percent) + "% done." : "";
          boxes.push(notice("warning", "The reading model is still downloading.",
            "Labels are read with the basic reader until it is ready." + amount));
          again = 5;
        } else if (state === "error" || state === "failed") {
          boxes.push(notice("warning", "The reading model could not be installed.",
            "Labels are read with the basic reader. Tell your administrator."));
        }
        if (health && health.status && health.status !== "ok") {
          var broken = Object.keys(health.components || {}).filter(function (name) {
            var status = health.components[name].status;
            return ["ok", "ready", "disabled"].indexOf(status) === -1 && name !== "model_status";
          });
          if (broken.length > 0) {
            boxes.push(notice("error", "The service is not fully working right now.",
              "Results may be slower or less complete. Affected: " +
              broken.map(function (name) { return name.replace(/_/g, " "); }).join(", ") + "."));
            again = Math.min(again, 15);
          }
        }
        var html = boxes.map(function (box) { return box.outerHTML; }).join("");
        if (region.innerHTML !== html) region.innerHTML = html;
        window.setTimeout(check, again * 1000);
      });
    }

    check();
  }

  /* The record's pictures: zoom with the buttons, + and − keys, a click, or the
     wheel over the picture on wide screens (where the picture is pinned). */
  function setUpZoom(pane) {
    var controls = pane.querySelector("[data-zoom-controls]");
    var viewports = pane.querySelectorAll("[data-zoom-viewport]");
    var level = pane.querySelector("[data-zoom-level]");
    if (!controls || viewports.length === 0) return;
    var zoom = 1;
    var wide = window.matchMedia("(min-width: 60rem)");

    function apply() {
      Array.prototype.forEach.call(viewports, function (viewport) {
        var evidence = viewport.querySelector("[data-zoomable]");
        viewport.classList.toggle("is-zoomed", zoom > 1);
        evidence.style.width = zoom > 1 ? zoom * 100 + "%" : "";
      });
      if (level) level.textContent = zoom > 1 ? "Zoomed to " + Math.round(zoom * 100) + "%." : "";
    }
    function set(value) {
      zoom = Math.min(6, Math.max(1, Math.round(value * 4) / 4));
      apply();
    }
    controls.hidden = false;
    controls.addEventListener("click", function (event) {
      var button = event.target.closest("[data-zoom]");
      if (!button) return;
      var action = button.getAttribute("data-zoom");
      set(action === "in" ? zoom * 1.5 : action === "out" ? zoom / 1.5 : 1);
    });
    Array.prototype.forEach.call(viewports, function (viewport) {
      viewport.addEventListener("click", function () { set(zoom > 1 ? 1 : 2.5); });
      viewport.addEventListener("wheel", function (event) {
        if (!wide.matches && !event.ctrlKey) return;
        event.preventDefault();
        set(event.deltaY < 0 ? zoom * 1.25 : zoom / 1.25);
      }, { passive: false });
    });
    document.addEventListener("keydown", function (event) {
      if (typing(event)) return;
      if (event.key === "+" || event.key === "=") { set(zoom * 1.5); event.preventDefault(); }
      else if (event.key === "-" || event.key === "_") { set(zoom / 1.5); event.preventDefault(); }
    });
  }

  /* A key pressed while the person types in a field is text, not a command. */
  function typing(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return true;
    var target = event.target;
    return target.isContentEditable ||
      ["INPUT", "TEXTAREA", "SELECT"].indexOf(target.tagName) !== -1;
  }

  /* "9 checks passed" collapses the passes into one line that expands. */
  function setUpPasses(box) {
    var toggle = box.querySelector("[data-passes-toggle]");
    if (!toggle) return;
    toggle.hidden = false;
    function show(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      box.classList.toggle("is-collapsed", !open);
    }
    toggle.addEventListener("click", function () {
      show(toggle.getAttribute("aria-expanded") !== "true");
    });
    show(false);
  }

  /* A / R / C choose the decision and put the cursor in the note; Enter saves. */
  function setUpDecisionKeys(form) {
    var keys = { a: "approve", r: "reject", c: "request_correction" };
    document.addEventListener("keydown", function (event) {
      if (typing(event)) return;
      var outcome = keys[event.key.toLowerCase()];
      if (!outcome) return;
      var radio = form.querySelector("input[name=outcome][value=" + outcome + "]");
      var note = form.querySelector("#id_note");
      if (!radio || !note) return;
      event.preventDefault();
      radio.checked = true;
      note.focus();
      note.scrollIntoView({ block: "center" });
    });
  }

  onReady(function () {
    // After a check: start at the verdict (the form set the flag as it was sent).
    var verdict = document.getElementById("verdict");
    try {
      var checked = window.sessionStorage.getItem("focus-verdict");
      window.sessionStorage.removeItem("focus-verdict");
      if (verdict && checked && !document.getElementById("error-summary")) verdict.focus();
    } catch (error) { /* storage off: the page still starts at the top */ }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-focus-verdict]"), function (form) {
      form.addEventListener("submit", function () {
        try { window.sessionStorage.setItem("focus-verdict", "1"); } catch (error) { /* ignore */ }
      });
    });
    var pane = document.querySelector(".picture-pane");
    if (pane) setUpZoom(pane);
    Array.prototype.forEach.call(document.querySelectorAll("[data-passes]"), setUpPasses);
    var decision = document.getElementById("decision-form");
    if (decision) setUpDecisionKeys(decision);
    // After a refused form, start where the problems are listed.
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    Array.prototype.forEach.call(document.querySelectorAll("[data-dropzone]"), setUpDropzone);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-working]"), setUpWorkingForm);
    var live = document.querySelector("[data-batch-live]");
    if (live) setUpBatchRefresh(live);
    var region = document.getElementById("service-status");
    if (region) setUpServiceStatus(region);
  });
})();
