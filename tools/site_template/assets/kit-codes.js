// Scenario codes on the static site: the byte layout of kit/scenario_codes.py (its module docstring
// describes it), read and written in the browser, so that a page's address can carry a scenario
// (page.html#ep2....) and a slider move writes the code of where the sliders are. The name tables and
// defaults come from Python (assets/kit-code-tables.js, written by tools/build_site.py from
// kit.scenario_codes.codec_tables()). tests/browser/test_static_site.py checks both directions against
// kit.share_code and kit.Scenario.from_code.
(function () {
  "use strict";
  var T = window.kitCodeTables;

  // ------------------------------------------------------------------ SHA-256, base64url
  // SHA-256 (FIPS 180-4), synchronous: crypto.subtle is missing on pages served over plain http.
  var K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1,
    0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
    0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
    0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3,
    0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb,
    0xbef9a3f7, 0xc67178f2];

  function sha256(bytes) {
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var length = bytes.length, blocks = ((length + 9 + 63) >> 6) << 6;
    var data = new Uint8Array(blocks);
    data.set(bytes);
    data[length] = 0x80;
    var bits = length * 8;
    for (var b = 0; b < 4; b++) data[blocks - 1 - b] = (bits >>> (8 * b)) & 0xff;
    data[blocks - 5] = Math.floor(length / 0x20000000) & 0xff;  // length * 8 above 2^32
    var w = new Array(64);
    for (var at = 0; at < blocks; at += 64) {
      for (var i = 0; i < 16; i++) {
        w[i] = (data[at + 4 * i] << 24) | (data[at + 4 * i + 1] << 16) | (data[at + 4 * i + 2] << 8) | data[at + 4 * i + 3];
      }
      for (i = 16; i < 64; i++) {
        var s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        var s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = h[0], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7], bb = h[1];
      for (i = 0; i < 64; i++) {
        var t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
      }
      h = [h[0] + a, h[1] + bb, h[2] + c, h[3] + d, h[4] + e, h[5] + f, h[6] + g, h[7] + k].map(function (x) { return x | 0; });
    }
    var out = new Uint8Array(32);
    h.forEach(function (word, j) { for (var q = 0; q < 4; q++) out[4 * j + q] = (word >>> (24 - 8 * q)) & 0xff; });
    return out;
  }
  function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }

  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  function toBase64url(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i += 3) {
      var n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      var chars = Math.min(4, Math.ceil((bytes.length - i) * 4 / 3));
      for (var j = 0; j < chars; j++) out += ALPHABET[(n >> (18 - 6 * j)) & 63];
    }
    return out;
  }
  function fromBase64url(text) {
    if (text.length % 4 === 1) throw new Error(damaged("its length is impossible for a code"));
    var bytes = [], bits = 0, value = 0;
    for (var i = 0; i < text.length; i++) {
      value = ((value & 0xffff) << 6) | ALPHABET.indexOf(text[i]);  // only the bits not yet taken matter
      bits += 6;
      if (bits >= 8) { bits -= 8; bytes.push((value >> bits) & 0xff); }
    }
    if (value & ((1 << bits) - 1)) {
      throw new Error(damaged("it is cut short or its last character is not one a code can end with"));
    }
    return new Uint8Array(bytes);
  }
  function checkBytes(version, payload) {
    var input = new Uint8Array(payload.length + 2);
    input[0] = T.prefix.charCodeAt(0);
    input[1] = version & 0xff;
    input.set(payload, 2);
    return sha256(input).slice(0, T.check_bytes);
  }
  function damaged(why) {
    return "the code is damaged: " + why + ". Copy the whole code again (it may have lost, gained or changed a character)";
  }

  // ------------------------------------------------------------------ reading
  // A decoded code: {version, flags, automation: {family: rate | {name: rate}}, oversight: rate | {family: rate},
  // reinvestment: [3 shares], org: profile name or null, fingerprint: hex or null, orgBytes, preset,
  // extras: {field: bytes}} (extras are carried as their bytes: the page never changes them).
  function Reader(bytes) { this.bytes = bytes; this.at = 0; }
  Reader.prototype.take = function (n) {
    if (this.at + n > this.bytes.length) throw new Error("the code is damaged or was not made by the kit: it ends too early");
    this.at += n;
    return this.bytes.slice(this.at - n, this.at);
  };
  Reader.prototype.byte = function () { return this.take(1)[0]; };
  Reader.prototype.word = function () { var two = this.take(2); return (two[0] << 8) | two[1]; };
  Reader.prototype.peekWord = function () { return (this.bytes[this.at] << 8) | this.bytes[this.at + 1]; };
  Reader.prototype.name = function (table, what) {
    var i = this.byte();
    if (i === T.spelt) return new TextDecoder("utf-8", { fatal: true }).decode(this.take(this.byte()));
    if (i >= table.length) throw new Error("the code names " + what + " number " + i + ", which no kit has (was it made by a newer kit?)");
    return table[i];
  };
  Reader.prototype.value = function () {
    var steps = this.word();
    if (steps === T.raw) return new DataView(this.take(8).buffer).getFloat64(0, false);
    if (steps > T.grid) throw new Error("the code is damaged or was not made by the kit: a value is more than 100%");
    return steps / T.grid;
  };
  Reader.prototype.rate = function () {
    var marker = this.peekWord();
    if (marker === T.table_defaults) { this.take(2); return Object.assign({}, T.default_ratios); }
    if (marker !== T.per_name) return this.value();
    this.take(2);
    return this.pairs(T.names, "role, group or family", this.value.bind(this));
  };
  Reader.prototype.pairs = function (table, what, read) {
    var items = {}, count = this.byte();
    for (var i = 0; i < count; i++) {
      var key = this.name(table, what);
      if (Object.prototype.hasOwnProperty.call(items, key)) throw new Error("the code is damaged: it gives " + key + " twice");
      items[key] = read();
    }
    return items;
  };
  Reader.prototype.typed = function (depth) {  // skipped over: its bytes are what the page keeps
    var kind = this.byte();
    if (kind <= 2 || kind === T.default_reviewers_kind) return;
    if (kind === 3) return this.value();
    if (kind === 4) return this.name(T.names, "text");
    if (kind === 5 && !depth) { this.pairs(T.names, "key", this.typed.bind(this, 1)); return; }
    throw new Error("the code is damaged or was not made by the kit: a field has an unknown kind of value (" + kind + ")");
  };

  // The code in a text, a link or a page's #fragment: after the last '#', %-escapes undone, spaces out.
  function codeText(text) {
    text = String(text || "").trim();
    if (text.indexOf("#") >= 0) text = text.slice(text.lastIndexOf("#") + 1);
    try { text = decodeURIComponent(text); } catch (error) { /* a broken %-escape: left as it is */ }
    return text.replace(/\s+/g, "");
  }
  // Whether a text is meant as a code (kit.scenario_codes.looks_like_code), not a heading's #anchor.
  function looksLikeCode(text) { return /^ep\d+\./i.test(codeText(text)); }

  function decode(text) {
    text = codeText(text);
    if (text.length > T.max_code_chars) throw new Error("the text is " + text.length + " characters long, too long for a scenario code");
    var match = /^ep(\d{1,4})\.([A-Za-z0-9_-]*)$/i.exec(text);
    if (!match) {
      var bad = /[^A-Za-z0-9_.-]/.exec(text);
      throw new Error(bad ? "the character " + JSON.stringify(bad[0]) + " cannot be in a code, which uses only letters, digits, '-', '_' and '.'"
        : "it is not a scenario code from the kit: a code starts with 'ep', a version number and a point, like 'ep" + T.version + ".'");
    }
    var version = +match[1];
    if (version > T.version) throw new Error("this code was made by a newer version of the kit (code version " + version + "); this page reads versions 1 to " + T.version);
    if (version < 1) throw new Error("code version " + version + " does not exist; the code is damaged: copy it again");
    var raw = fromBase64url(match[2]);
    if (raw.length <= T.check_bytes) throw new Error(damaged("it is cut short"));
    var payload = raw.slice(0, raw.length - T.check_bytes), check = raw.slice(raw.length - T.check_bytes);
    if (checkBytes(version, payload).some(function (x, i) { return x !== check[i]; })) {
      throw new Error(damaged("its check characters do not match the rest"));
    }
    var r = new Reader(payload), out = { version: version, extras: {} };
    try {
      out.flags = r.byte();
      if (out.flags & ~(T.flags.preset | T.flags.custom_org | T.flags.extras)) throw new Error("the code has settings this page does not know");
      out.automation = r.pairs(T.families, "task family", r.rate.bind(r));
      out.oversight = r.rate();
      out.reinvestment = T.reinvestment_keys.map(function () { return r.value(); });
      var orgAt = r.at;
      if (out.flags & T.flags.custom_org) {
        out.org = null;
        out.fingerprint = Array.prototype.map.call(r.take(T.fingerprint_bytes), function (x) { return (x + 256).toString(16).slice(1); }).join("");
      } else {
        out.org = r.name(T.orgs, "organization profile");
        out.fingerprint = null;
      }
      out.orgBytes = payload.slice(orgAt, r.at);
      out.preset = out.flags & T.flags.preset ? r.name(T.presets, "preset") : null;
      if (out.flags & T.flags.extras) {
        for (var n = r.byte(); n > 0; n--) {
          var field = r.name(T.fields, "field"), start = r.at;
          r.typed(0);
          out.extras[field] = payload.slice(start, r.at);
        }
      }
      if (r.at !== payload.length) throw new Error("the code has bytes after its end");
    } catch (error) {
      throw new Error(/^the code|^this code/.test(error.message) ? error.message : "the code is damaged or was not made by the kit: " + error.message);
    }
    return out;
  }

  // ------------------------------------------------------------------ writing
  function Writer() { this.bytes = []; }
  Writer.prototype.push = function () { for (var i = 0; i < arguments.length; i++) this.bytes.push(arguments[i]); };
  Writer.prototype.word = function (n) { this.push((n >> 8) & 0xff, n & 0xff); };
  Writer.prototype.raw = function (bytes) { for (var i = 0; i < bytes.length; i++) this.bytes.push(bytes[i]); };
  Writer.prototype.name = function (name, table) {
    var i = table.indexOf(name);
    if (i >= 0) return this.push(i);
    var utf8 = new TextEncoder().encode(name);
    this.push(T.spelt, utf8.length);
    this.raw(utf8);
  };
  Writer.prototype.value = function (value) {  // on the 1/GRID grid: two bytes; any other number: all eight
    var steps = Math.round(value * T.grid);
    if (steps >= 0 && steps <= T.grid && steps / T.grid === value && !Object.is(value, -0)) return this.word(steps);
    var eight = new DataView(new ArrayBuffer(8));
    eight.setFloat64(0, value, false);
    this.word(T.raw);
    this.raw(new Uint8Array(eight.buffer));
  };
  Writer.prototype.rate = function (value) {
    if (typeof value === "number") return this.value(value);
    if (sameMapping(value, T.default_ratios)) return this.word(T.table_defaults);
    var keys = Object.keys(value);
    this.word(T.per_name);
    this.push(keys.length);
    keys.forEach(function (key) { this.name(key, T.names); this.value(value[key]); }, this);
  };
  function sameMapping(a, b) {
    var keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every(function (k) {
      return Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k];
    });
  }

  function encode(code) {
    var w = new Writer(), extras = Object.keys(code.extras);
    var flags = (code.preset ? T.flags.preset : 0) | (code.fingerprint ? T.flags.custom_org : 0) | (extras.length ? T.flags.extras : 0);
    var families = Object.keys(code.automation);
    w.push(flags, families.length);
    families.forEach(function (f) { w.name(f, T.families); w.rate(code.automation[f]); });
    w.rate(code.oversight);
    code.reinvestment.forEach(function (share) { w.value(share); });
    w.raw(code.orgBytes);
    if (code.preset) w.name(code.preset, T.presets);
    if (extras.length) {
      w.push(extras.length);
      extras.forEach(function (field) { w.name(field, T.fields); w.raw(code.extras[field]); });
    }
    var payload = new Uint8Array(w.bytes), check = checkBytes(T.version, payload);
    var all = new Uint8Array(payload.length + check.length);
    all.set(payload);
    all.set(check, payload.length);
    return T.prefix + T.version + "." + toBase64url(all);
  }

  // ------------------------------------------------------------------ the live chart's params
  function top(value) {
    if (typeof value === "number") return value;
    var values = Object.keys(value || {}).map(function (k) { return value[k]; });
    return values.length ? Math.max.apply(null, values) : 0;
  }

  // kit.charts.scenario_params: the sliders' values (percent) for a decoded code.
  function sliderValues(code, families) {
    var values = {};
    families.forEach(function (f) { values["automation_" + f] = 100 * top(code.automation[f] || 0); });
    values.oversight_ratio = 100 * top(code.oversight);
    T.reinvestment_keys.forEach(function (k, i) { values["reinvestment_" + k] = 100 * code.reinvestment[i]; });
    return values;
  }

  // kit.charts.scenario_from_params(params, base=...): where the sliders are, on the page's own
  // structure (who uses each tool, review by family, the organization and the other settings).
  function fromParams(params, base, families) {
    var automation = {};
    families.forEach(function (f) {
      var rate = (params["automation_" + f] || 0) / 100, users = base.automation[f];
      if (users !== null && typeof users === "object") {
        var most = top(users), scaled = {};
        Object.keys(users).forEach(function (who) { scaled[who] = most ? users[who] / most * rate : rate; });
        automation[f] = scaled;
      } else if (rate) {
        automation[f] = rate;
      }
    });
    var shares = T.reinvestment_keys.map(function (k) { return params["reinvestment_" + k]; });
    var total = shares.reduce(function (a, b) { return a + b; }, 0);
    shares = total > 0 ? shares.map(function (s) { return s / total; }) : T.default_reinvestment.slice();
    var oversight = params.oversight_ratio / 100;
    if (typeof base.oversight === "object" && params.oversight_ratio === 100 * top(base.oversight)) oversight = base.oversight;
    return { automation: automation, oversight: oversight, reinvestment: shares, orgBytes: base.orgBytes,
             fingerprint: base.fingerprint, org: base.org, preset: null, extras: base.extras };
  }

  // What a code sets that the page's chart cannot show (its data hold the page's own structure).
  var FIELD_WORDS = { baseline: "the time-use baseline", reviewers: "who reviews the AI's work",
    max_time_saved: "how much of an exposed task's time a tool saves",
    pajama_pass_through: "how much of a documentation cut comes off after-hours work" };
  function relative(value) {
    var most = top(value), out = {};
    Object.keys(value).forEach(function (k) { out[k] = most ? value[k] / most : 1; });
    return out;
  }
  function close(a, b) {
    var keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every(function (k) { return k in b && Math.abs(a[k] - b[k]) < 1e-12; });
  }
  function differences(code, base, families) {
    var out = [];
    families.forEach(function (f) {
      var mine = code.automation[f], page = base.automation[f];
      if (!top(mine || 0)) return;
      var mineByRole = typeof mine === "object", pageByRole = page !== null && typeof page === "object";
      if (mineByRole !== pageByRole || (mineByRole && !close(relative(mine), relative(page)))) {
        out.push("who uses the " + f.replace(/_/g, " ") + " tool");
      }
    });
    Object.keys(code.automation).forEach(function (f) {
      if (families.indexOf(f) < 0) out.push("the " + f.replace(/_/g, " ") + " family, which this page has no slider for");
    });
    if (typeof code.oversight === "object" && !(typeof base.oversight === "object" && close(code.oversight, base.oversight))) {
      out.push("a review ratio per family");
    }
    if (code.orgBytes.join() !== base.orgBytes.join()) {
      out.push(code.org ? "the organization profile " + code.org : "a custom organization (fingerprint " + code.fingerprint + ")");
    }
    var fields = Object.keys(code.extras).concat(Object.keys(base.extras));
    fields.filter(function (f, i) { return fields.indexOf(f) === i; }).forEach(function (f) {
      if (String(code.extras[f] || "") !== String(base.extras[f] || "")) out.push(FIELD_WORDS[f] || f);
    });
    return out;
  }

  window.kitCodes = { codeText: codeText, looksLikeCode: looksLikeCode, decode: decode, encode: encode, sliderValues: sliderValues, fromParams: fromParams,
                      differences: differences, sha256: sha256 };
})();
