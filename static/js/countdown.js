/* The workshop countdown for the room projector (templates/workgroups/countdown.html).

   Self-contained: no request once the page is loaded, so it keeps running if the
   network drops. The time left is computed from the clock (Date.now), not by
   counting ticks, so a slow or throttled tab never drifts. Screen readers hear
   the start, pause, reset, the end, and the time left every five minutes then
   each of the last five minutes: never every second (the digits are a
   role="timer", silent by default). The page's words come from its data-*
   attributes, already translated. */
(function () {
  "use strict";

  var root = document.querySelector("[data-countdown]");
  if (!root) {
    return;
  }
  var text = root.dataset;
  var total = parseInt(text.seconds, 10) * 1000;
  if (!(total > 0)) {
    return;
  }
  var digits = root.querySelector("[data-countdown-digits]");
  var state = root.querySelector("[data-countdown-state]");
  var live = root.querySelector("[data-countdown-live]");
  var controls = root.querySelector("[data-countdown-controls]");
  var buttons = {};
  Array.prototype.forEach.call(controls.querySelectorAll("[data-action]"), function (button) {
    buttons[button.dataset.action] = button;
  });

  var remaining = total; // milliseconds left while paused or ready
  var endsAt = null; // clock time of the end while running
  var timer = null;
  var lastMinute = Math.ceil(total / 60000);
  var wakeLock = null;

  function pad(number) {
    return number < 10 ? "0" + number : String(number);
  }

  function format(milliseconds) {
    var seconds = Math.ceil(milliseconds / 1000);
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = seconds % 60;
    if (hours) {
      return hours + ":" + pad(minutes) + ":" + pad(rest);
    }
    return pad(minutes) + ":" + pad(rest);
  }

  function announce(message) {
    // Emptied first so the same words said twice are read twice.
    live.textContent = "";
    window.setTimeout(function () {
      live.textContent = message;
    }, 50);
  }

  function setState(name, message) {
    root.dataset.state = name;
    state.textContent = message;
  }

  function render() {
    digits.textContent = format(remaining);
  }

  function announceMinutes(minutes) {
    if (minutes <= 0) {
      return;
    }
    if (minutes > 5 && minutes % 5 !== 0) {
      return;
    }
    announce(
      minutes === 1 ? text.announceMinute : text.announceMinutes.replace("%(count)s", minutes)
    );
  }

  function keepScreenOn(on) {
    if (on && navigator.wakeLock && !wakeLock) {
      navigator.wakeLock.request("screen").then(
        function (lock) {
          wakeLock = lock;
          lock.addEventListener("release", function () {
            wakeLock = null;
          });
        },
        function () {
          /* not allowed here: the projector's own settings decide */
        }
      );
    } else if (!on && wakeLock) {
      wakeLock.release();
      wakeLock = null;
    }
  }

  function stopTimer() {
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
    endsAt = null;
    keepScreenOn(false);
  }

  function finish() {
    stopTimer();
    remaining = 0;
    render();
    setState("finished", text.stateFinished);
    announce(text.stateFinished);
    buttons.start.disabled = true;
    buttons.pause.disabled = true;
    buttons.start.textContent = text.labelStart;
    buttons.reset.focus();
  }

  function tick() {
    remaining = Math.max(0, endsAt - Date.now());
    render();
    if (remaining === 0) {
      finish();
      return;
    }
    var minute = Math.ceil(remaining / 60000);
    if (minute !== lastMinute) {
      // The digits just reached a whole minute (or several passed while the tab slept).
      lastMinute = minute;
      if (remaining % 60000 > 59000 || remaining % 60000 === 0) {
        announceMinutes(minute);
      }
    }
  }

  function start() {
    if (timer !== null || remaining === 0) {
      return;
    }
    endsAt = Date.now() + remaining;
    timer = window.setInterval(tick, 250);
    setState("running", text.stateRunning);
    announce(text.stateRunning);
    buttons.start.disabled = true;
    buttons.pause.disabled = false;
    buttons.pause.focus();
    keepScreenOn(true);
  }

  function pause() {
    if (timer === null) {
      return;
    }
    remaining = Math.max(0, endsAt - Date.now());
    stopTimer();
    render();
    setState("paused", text.statePaused);
    announce(text.statePaused);
    buttons.start.textContent = text.labelResume;
    buttons.start.disabled = false;
    buttons.pause.disabled = true;
    buttons.start.focus();
  }

  function reset() {
    stopTimer();
    remaining = total;
    lastMinute = Math.ceil(total / 60000);
    render();
    setState("ready", text.stateReady);
    announce(text.announceReset);
    buttons.start.textContent = text.labelStart;
    buttons.start.disabled = false;
    buttons.pause.disabled = true;
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else {
      document.documentElement.requestFullscreen();
    }
  }

  buttons.start.addEventListener("click", start);
  buttons.pause.addEventListener("click", pause);
  buttons.reset.addEventListener("click", reset);
  if (document.documentElement.requestFullscreen && buttons.fullscreen) {
    buttons.fullscreen.hidden = false;
    buttons.fullscreen.addEventListener("click", toggleFullscreen);
    document.addEventListener("fullscreenchange", function () {
      buttons.fullscreen.textContent = document.fullscreenElement
        ? text.labelExitFullscreen
        : text.labelFullscreen;
    });
  }
  document.addEventListener("visibilitychange", function () {
    // The browser drops the wake lock when the tab is hidden: take it again on return.
    if (document.visibilityState === "visible" && timer !== null) {
      keepScreenOn(true);
    }
  });

  controls.hidden = false;
  setState("ready", text.stateReady);
  render();
})();
