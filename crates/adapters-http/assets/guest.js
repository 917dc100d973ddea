// Latchkey guest page. Shows the link's times in the visitor's time zone and opens the
// door when the button is pressed. No framework, no build step; the Content-Security-
// Policy allows only this file, so every word it shows comes from the page's
// `#strings` data attributes (crates/adapters-http/src/routes/guest_page/strings.rs).
(function () {
  "use strict";

  var root = document.getElementById("guest");
  var stringsEl = document.getElementById("strings");
  if (!root || !stringsEl) {
    return;
  }
  var t = stringsEl.dataset;
  var button = document.getElementById("open-door");
  var outcome = document.getElementById("outcome");
  var stateEl = document.getElementById("state");
  var helpEl = document.getElementById("state-help");
  var usesEl = document.getElementById("uses");
  if (!button || !outcome) {
    return;
  }

  // The token is the path segment after /g/; the API sits beside /g/ under the same
  // prefix, so a deployment below a sub-path works too.
  var match = /^(.*)\/g\/([A-Za-z0-9_-]+)\/?$/.exec(location.pathname);
  if (!match) {
    return;
  }
  var unlockUrl = match[1] + "/api/guest/" + match[2] + "/unlock";

  // --- Local times -------------------------------------------------------------------
  function localTimes() {
    var format;
    try {
      format = new Intl.DateTimeFormat(undefined, {
        weekday: "short",
        year: "numeric",
        month: "short",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit"
      });
    } catch (e) {
      return;
    }
    var times = document.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var d = new Date(times[i].getAttribute("datetime"));
      if (!isNaN(d.getTime())) {
        times[i].title = times[i].textContent;
        times[i].textContent = format.format(d);
      }
    }
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      zone = "";
    }
    var note = document.getElementById("time-zone");
    if (note && zone) {
      note.textContent = t.timesInLocal.replace("{zone}", zone);
    }
  }

  // --- State ---------------------------------------------------------------------------
  var STATE_KEYS = {
    pending: ["statePending", "helpPending"],
    active: ["stateActive", "helpActive"],
    expired: ["stateExpired", "helpExpired"],
    "used-up": ["stateUsedUp", "helpUsedUp"],
    disabled: ["stateDisabled", "helpDisabled"]
  };

  function setState(state) {
    var keys = STATE_KEYS[state];
    if (!keys) {
      return;
    }
    root.setAttribute("data-state", state);
    if (stateEl) {
      stateEl.textContent = t[keys[0]];
      stateEl.className = "state state-" + state;
    }
    if (helpEl) {
      helpEl.textContent = t[keys[1]];
    }
    button.disabled = state !== "active";
  }

  function setUsesLeft(left) {
    if (!usesEl) {
      return;
    }
    usesEl.setAttribute("data-left", String(left));
    usesEl.textContent = t.usesValue
      .replace("{left}", String(left))
      .replace("{max}", usesEl.getAttribute("data-max"));
  }

  // The server decides; these timers only spare the guest a reload when the window
  // opens or closes while the page is open.
  function scheduleWindow() {
    var starts = new Date(document.getElementById("starts-at").getAttribute("datetime"));
    var expires = new Date(document.getElementById("expires-at").getAttribute("datetime"));
    var now = Date.now();
    var state = root.getAttribute("data-state");
    var DAY = 24 * 60 * 60 * 1000;
    if (state === "pending" && starts.getTime() - now < DAY) {
      setTimeout(function () {
        if (root.getAttribute("data-state") === "pending") {
          setState("active");
          scheduleWindow();
        }
      }, Math.max(0, starts.getTime() - now) + 1000);
    } else if (state === "active" && expires.getTime() - now < DAY) {
      setTimeout(function () {
        if (root.getAttribute("data-state") === "active") {
          setState("expired");
        }
      }, Math.max(0, expires.getTime() - now));
    }
  }

  // --- Opening the door -------------------------------------------------------------------
  var busy = false;

  function say(text, kind) {
    outcome.textContent = text;
    outcome.className = "outcome" + (kind ? " outcome-" + kind : "");
  }

  function idle() {
    busy = false;
    button.removeAttribute("aria-busy");
    button.textContent = t.openDoor;
  }

  function readProblem(res) {
    return res
      .json()
      .then(function (body) {
        return body && typeof body === "object" ? body : {};
      })
      .catch(function () {
        return {};
      });
  }

  function refused(res, problem) {
    var code = typeof problem.code === "string" ? problem.code : "";
    var status = res.status;
    if (code === "link_not_active" || (status === 403 && !code)) {
      say(t.notActive, "error");
      setState("pending");
      scheduleWindow();
    } else if (code === "link_expired") {
      say(t.expired, "error");
      setState("expired");
    } else if (code === "link_used_up") {
      say(t.usedUp, "error");
      setState("used-up");
      setUsesLeft(0);
    } else if (code === "link_disabled") {
      say(t.disabled, "error");
      setState("disabled");
    } else if (status === 404) {
      say(t.notFound, "error");
      button.disabled = true;
    } else if (status === 429 || code === "rate_limited") {
      var seconds = parseInt(res.headers.get("Retry-After") || "", 10);
      if (!(seconds > 0)) {
        seconds = problem.retryAfter > 0 ? problem.retryAfter : 60;
      }
      say(t.rateLimited.replace("{seconds}", String(seconds)), "error");
      button.disabled = true;
      setTimeout(function () {
        if (root.getAttribute("data-state") === "active") {
          button.disabled = false;
        }
      }, seconds * 1000);
    } else if (status === 502 || status === 503 || status === 504) {
      say(t.unreachable, "error");
      button.disabled = false;
    } else {
      say(t.unknown, "error");
      button.disabled = false;
    }
  }

  function openDoor() {
    if (busy || button.disabled) {
      return;
    }
    busy = true;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    button.textContent = t.opening;
    say("", "");
    fetch(unlockUrl, {
      method: "POST",
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
      headers: { Accept: "application/json, application/problem+json" }
    })
      .then(function (res) {
        if (res.ok) {
          say(t.opened, "ok");
          if (usesEl) {
            var left = Math.max(0, parseInt(usesEl.getAttribute("data-left"), 10) - 1);
            setUsesLeft(left);
            if (left === 0) {
              setState("used-up");
              return;
            }
          }
          button.disabled = root.getAttribute("data-state") !== "active";
          return;
        }
        return readProblem(res).then(function (problem) {
          refused(res, problem);
        });
      })
      .catch(function () {
        say(t.offline, "error");
        button.disabled = root.getAttribute("data-state") !== "active";
      })
      .then(idle, idle);
  }

  localTimes();
  scheduleWindow();
  button.addEventListener("click", openDoor);
})();
