// The clean-zone phone page. A hostname is typed, or read from the label's QR code: with the
// browser's BarcodeDetector where it has one, else the photo goes to the server, which reads
// it. Every step is first written to this phone's storage, then sent; while the network is
// down the steps wait there and leave, in order, when it is back. Each step says the state the
// technician saw: the server refuses it if the machine moved meanwhile, and says why.
(function () {
  "use strict";
  var root = document.getElementById("scan");
  if (!root) { return; }
  var data = JSON.parse(document.getElementById("scan-data").textContent);
  var T = data.texts;
  var LIFE = data.lifecycle;
  var SHA256 = new RegExp("^(?:" + data.patterns.sha256 + ")$");
  var HOSTNAME = new RegExp("^(?:" + data.patterns.hostname + ")$");
  var QUEUE = "relance.scan.steps." + data.login;  // one queue per person: never sent as another
  var COPY = "relance.scan.copy." + data.login;
  var RETRY_MS = 5000;
  var el = function (id) { return document.getElementById(id); };
  var card = el("machine");
  var shown = null;  // the machine on the screen
  var sending = false;
  var armed = null;

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  function say(text, kind) {
    var status = el("status");
    status.textContent = text;
    status.className = "status" + (kind ? " " + kind : "");
  }
  function label(state) { return LIFE[state] ? LIFE[state].label : state; }
  function detail(a) { return typeof a.body.detail === "string" ? a.body.detail : fill(T.refused_code, { code: a.status }); }
  function read(key, empty) {
    try { return JSON.parse(window.localStorage.getItem(key)) || empty; } catch (e) { return empty; }
  }
  function write(key, value) { window.localStorage.setItem(key, JSON.stringify(value)); }

  // A random UUID 4: crypto.randomUUID needs HTTPS, the crisis cell's LAN may be plain HTTP.
  function newId() {
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  // The answer as JSON, or a reason not to trust it: signed out (the server sent the sign-in
  // page), or a server error. A network failure rejects the promise, as fetch does.
  function call(url, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = Object.assign({ Accept: "application/json", "X-CSRF-Token": data.csrf }, options.headers || {});
    return fetch(url, options).then(function (r) {
      var json = (r.headers.get("content-type") || "").indexOf("application/json") === 0;
      if (r.redirected || r.status === 401 || !json) { return { status: 401, body: {} }; }
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    });
  }

  // --- the phone's copy, for looking machines up offline ---------------------------------------
  function refreshCopy() {
    return call("/scan/machines").then(function (a) {
      if (a.status !== 200) { return; }
      var machines = {};
      a.body.machines.forEach(function (m) { machines[m[0]] = { site: m[1], department: m[2], state: m[3] }; });
      write(COPY, { as_of: a.body.as_of, machines: machines });
    }).catch(function () { /* offline: keep the copy we have */ });
  }
  function remember(machine) {
    var copy = read(COPY, { as_of: "", machines: {} });
    copy.machines[machine.hostname] = { site: machine.site, department: machine.department, state: machine.state };
    write(COPY, copy);
  }

  // --- showing a machine -----------------------------------------------------------------------
  function show(machine, stale) {
    shown = machine;
    armed = null;
    card.hidden = false;
    card.style.borderLeftColor = LIFE[machine.state].colour;
    el("machine-name").textContent = machine.hostname;
    var where = [machine.site, machine.department || machine.role];  // a server's role: "AD server"
    card.querySelector(".where").textContent = where.filter(Boolean).join(" · ");
    card.querySelector(".state b").textContent = label(machine.state);
    card.querySelector(".since").textContent = machine.since
      ? fill(machine.by ? T.since : T.since_nobody, { when: machine.since, by: machine.by }) : "";
    var note = card.querySelector(".stale");
    note.hidden = !stale;
    note.textContent = stale || "";
    var steps = card.querySelector(".steps");
    if (!steps) { return; }  // a role that reads only
    var next = LIFE[machine.state].steps;
    el("step").hidden = next.length === 0;
    card.querySelector(".final").hidden = next.length > 0;
    steps.textContent = "";
    next.forEach(function (step) {
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.to = step.to;
      button.className = step.forward ? "" : "aside";
      button.textContent = fill(T.to, { state: label(step.to) });
      button.addEventListener("click", function () { tap(step, button); });
      steps.appendChild(button);
    });
  }

  function lookUp(host) {
    host = host.trim().toUpperCase();
    if (!host) { return; }
    el("host").value = host;
    say(fill(T.looking, { host: host }));
    call("/scan/machines/" + encodeURIComponent(host)).then(function (a) {
      if (a.status === 200) {
        remember(a.body.machine);
        say("");
        show(a.body.machine, null);
      } else if (a.status === 401) {
        say(T.signed_out, "error");
      } else {
        card.hidden = true;
        say(detail(a), "error");
      }
    }).catch(function () { lookUpOffline(host); });
  }

  function lookUpOffline(host) {
    var copy = read(COPY, { as_of: "", machines: {} });
    var known = copy.machines[host];
    if (!known) {
      card.hidden = true;
      say(fill(T.offline_unknown, { host: host }), "error");
      return;
    }
    say("");
    var machine = { hostname: host, site: known.site, department: known.department, role: "", state: known.state, since: "", by: "" };
    show(machine, fill(T.offline_lookup, { when: copy.as_of }));
  }

  // --- recording a step: into the queue, then sent -----------------------------------------------
  function tap(step, button) {
    if (!step.forward && armed !== button) {  // back to the start, or out of service: confirm
      if (armed) { armed.classList.remove("armed"); armed.textContent = fill(T.to, { state: label(armed.dataset.to) }); }
      armed = button;
      button.classList.add("armed");
      button.textContent = fill(T.confirm, { state: label(step.to) });
      return;
    }
    var evidence = el("evidence").value.trim();
    if (step.evidence && !SHA256.test(evidence)) {
      say(T.needs_evidence, "error");
      el("evidence").focus();
      return;
    }
    var queued = read(QUEUE, []);
    queued.push({
      id: newId(),
      hostname: shown.hostname,
      seen: shown.state,
      target: step.to,
      reason: el("reason").value.trim(),
      evidence: evidence,
      at: Date.now()
    });
    write(QUEUE, queued);
    el("reason").value = "";
    el("evidence").value = "";
    // Show the step as taken: a second step on this machine starts from it.
    var moved = Object.assign({}, shown, { state: step.to, since: "", by: "" });
    remember(moved);
    show(moved, null);
    say(T.sending);
    send();
  }

  function outcome(text, kind) {
    var list = el("outcomes");
    var item = document.createElement("li");
    item.className = kind;
    item.textContent = text;
    list.hidden = false;
    list.querySelector("ul").prepend(item);
  }

  function settle(step, a) {
    if (a.status === 200) {
      var text = fill(a.body.already ? T.already : T.recorded, { host: step.hostname, state: label(step.target) });
      outcome(text, "recorded");
      say(text, "ok");
      remember(a.body.machine);
      if (shown && shown.hostname === step.hostname) { show(a.body.machine, null); }
      return;
    }
    outcome(fill(T.refused, { why: detail(a) }), "refused");
    say(fill(T.refused, { why: detail(a) }), "error");
    if (a.body.machine) {
      remember(a.body.machine);
      if (shown && shown.hostname === step.hostname) { show(a.body.machine, null); }
    }
  }

  // Send the waiting steps one by one, oldest first. A step leaves the queue once the server
  // has answered it (recorded or refused); it stays on a network failure, a sign-out or a
  // server error, and is sent again later: the server records a step sent twice only once.
  function send() {
    if (sending) { return; }
    var queued = read(QUEUE, []);
    if (!queued.length) { showQueue(); return; }
    sending = true;
    var step = queued[0];
    var body = Object.assign({}, step, { waited_ms: Math.max(0, Date.now() - step.at) });
    delete body.at;
    call("/scan/steps", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (a) {
        sending = false;
        if (a.status === 401) { say(T.signed_out, "error"); showQueue(); return; }
        if (a.status >= 500) { say(T.server_error, "error"); showQueue(); return; }
        write(QUEUE, read(QUEUE, []).filter(function (s) { return s.id !== step.id; }));
        settle(step, a);
        send();
      })
      .catch(function () {
        sending = false;
        say(T.kept, "error");
        showQueue();
      });
  }

  function showQueue() {
    var queued = read(QUEUE, []);
    var box = el("waiting");
    box.hidden = queued.length === 0;
    box.querySelector(".count").textContent = fill(T.waiting, { n: queued.length });
    var list = box.querySelector("ul");
    list.textContent = "";
    queued.forEach(function (s) {
      var item = document.createElement("li");
      item.textContent = s.hostname + " → " + label(s.target);
      list.appendChild(item);
    });
  }

  // --- reading a label ---------------------------------------------------------------------------
  var detector = "BarcodeDetector" in window ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;

  function readLocally(image) {
    if (!detector) { return Promise.resolve(null); }
    return detector.detect(image).then(function (codes) { return codes.length ? codes[0].rawValue : null; })
      .catch(function () { return null; });
  }

  // The photo, made smaller and re-encoded as JPEG (any format the phone can open; no location
  // or other metadata leaves the phone), is read by the server.
  function readOnServer(bitmap) {
    var scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.92); })
      .then(function (blob) {
        return call("/scan/label", { method: "POST", headers: { "Content-Type": "image/jpeg" }, body: blob });
      })
      .then(function (a) {
        if (a.status === 200) { return a.body.hostname; }
        say(a.status === 401 ? T.signed_out : detail(a), "error");
        return null;
      });
  }

  function readPhoto(file) {
    say(T.reading);
    createImageBitmap(file).then(function (bitmap) {
      return readLocally(bitmap).then(function (text) { return text || readOnServer(bitmap); });
    }, function () {
      say(T.not_photo, "error");
      return null;
    }).then(function (text) {
      if (!text) { return; }
      if (HOSTNAME.test(text.trim())) { lookUp(text); } else { say(fill(T.not_label, { text: text.slice(0, 80) }), "error"); }
    }).catch(function () { say(T.photo_offline, "error"); });
  }

  // Live camera, where the browser reads QR codes itself (BarcodeDetector; it needs HTTPS).
  var stream = null;
  function watch() {
    if (!stream) { return; }
    readLocally(el("video")).then(function (text) {
      if (text && HOSTNAME.test(text.trim())) { stopCamera(); lookUp(text); } else { window.setTimeout(watch, 250); }
    });
  }
  function startCamera() {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s;
      el("viewer").hidden = false;
      el("video").srcObject = s;
      return el("video").play();
    }).then(watch).catch(function (e) { say(String(e), "error"); stopCamera(); });
  }
  function stopCamera() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    el("viewer").hidden = true;
  }

  // --- wiring ------------------------------------------------------------------------------------
  el("find").addEventListener("submit", function (event) {
    event.preventDefault();
    lookUp(el("host").value);
  });
  el("photo").addEventListener("change", function () {
    var file = el("photo").files[0];
    el("photo").value = "";
    if (file) { readPhoto(file); }
  });
  if (detector && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    el("camera").hidden = false;
    el("camera").addEventListener("click", startCamera);
    el("stop").addEventListener("click", stopCamera);
  }
  var stepForm = el("step");
  if (stepForm) { stepForm.addEventListener("submit", function (event) { event.preventDefault(); }); }
  el("send").addEventListener("click", send);
  window.addEventListener("online", function () { send(); refreshCopy(); });
  window.setInterval(function () { if (read(QUEUE, []).length) { send(); } }, RETRY_MS);
  showQueue();
  send();
  refreshCopy();
  var asked = new URLSearchParams(window.location.search).get("host");
  if (asked) { lookUp(asked); }
}());
