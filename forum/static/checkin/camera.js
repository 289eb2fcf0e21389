/* The scanner's camera: BarcodeDetector where the phone has it, else the vendored jsQR on
   frames drawn to a canvas. A badge still in front of the camera is read once, not again
   every frame nor when its result goes away. The camera needs a secure context (HTTPS or localhost). */
(function (root) {
  "use strict";

  // options: video, jsqrUrl, ready() -> bool (may a code be read now), onCode(text), status(kind)
  function ForumCamera(options) {
    this.o = options;
    this.stream = null;
    this.detector = null;
    this.lastCode = "";
    this.lastAt = 0;
  }

  ForumCamera.prototype.loadJsQR = function () {
    var url = this.o.jsqrUrl;
    return new Promise(function (resolve, reject) {
      if (root.jsQR) { resolve(); return; }
      var script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  };

  ForumCamera.prototype.prepare = async function () {
    if ("BarcodeDetector" in root) {
      try {
        var formats = await root.BarcodeDetector.getSupportedFormats();
        if (formats.indexOf("qr_code") >= 0) { this.detector = new root.BarcodeDetector({formats: ["qr_code"]}); return; }
      } catch (e) { /* fall back to jsQR */ }
    }
    await this.loadJsQR();
    this.canvas = document.createElement("canvas");
    this.context = this.canvas.getContext("2d", {willReadFrequently: true});
  };

  ForumCamera.prototype.decode = async function () {
    var video = this.o.video;
    if (this.detector) {
      var codes = await this.detector.detect(video);
      return codes.length ? codes[0].rawValue : null;
    }
    var w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) return null;
    var scale = Math.min(1, 640 / Math.max(w, h)), canvas = this.canvas;
    canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
    this.context.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = this.context.getImageData(0, 0, canvas.width, canvas.height);
    var found = root.jsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
    return found ? found.data : null;
  };

  ForumCamera.prototype.loop = async function () {
    if (!this.stream) return;
    if (!this.o.ready()) {
      // A result is on screen (a warning stays 6 s): the badge that caused it is taken as
      // still in view, so it is not read again the moment the result goes away.
      if (this.lastCode) this.lastAt = Date.now();
    } else if (this.o.video.readyState >= 2) {
      try {
        var code = await this.decode(), now = Date.now();
        if (code && !(code === this.lastCode && now - this.lastAt < 5000)) {
          this.lastCode = code; this.lastAt = now;
          this.o.onCode(code);
        } else if (code) {
          this.lastAt = now;  // still in view: keep ignoring it
        }
      } catch (e) { /* a frame that cannot be read */ }
    }
    var camera = this;
    setTimeout(function () { camera.loop(); }, 120);
  };

  ForumCamera.prototype.start = async function () {
    if (!root.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      this.o.status("insecure");
      return;
    }
    try {
      await this.prepare();
      this.stream = await navigator.mediaDevices.getUserMedia({audio: false, video: {facingMode: {ideal: "environment"}}});
      this.o.video.srcObject = this.stream;
      await this.o.video.play();
      this.o.status("on");
      this.loop();
    } catch (e) {
      this.stream = null;
      this.o.status("denied");
    }
  };

  ForumCamera.prototype.stop = function () {
    if (this.stream) this.stream.getTracks().forEach(function (t) { t.stop(); });
    this.stream = null;
    this.o.video.srcObject = null;
    this.o.status("off");
  };

  ForumCamera.prototype.toggle = function () { if (this.stream) this.stop(); else this.start(); };

  root.ForumCamera = ForumCamera;
})(typeof self !== "undefined" ? self : this);
