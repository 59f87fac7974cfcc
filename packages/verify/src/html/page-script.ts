// The page's script, inlined into its last <script>. It is plain browser JavaScript kept in a string
// rather than TypeScript compiled for the DOM: the package builds with tsc alone and ships no asset
// files, and a function serialised with toString() would carry whatever helpers a transform adds.
// The browser test (test/html.test.ts) is what checks it: no page errors, every bar drawn, hover.
// It never writes report data as markup: bars are built from numbers and fixed class names, and
// every text from the report goes in with textContent.
export const pageScript = String.raw`
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var source = document.getElementById('quiesce-data');
  var tooltip = document.getElementById('quiesce-tooltip');
  if (!source || !tooltip) return;
  var data = JSON.parse(source.textContent);
  var OUTCOMES = data.outcomes;
  var LABELS = data.outcomeLabels;
  var AXIS_H = 22;
  var GROUP_HEAD = 17;

  function fmtMs(ms) {
    var a = Math.abs(ms);
    if (a >= 1000) {
      var s = (a / 1000).toFixed(3);
      return s.replace(/0+$/, '').replace(/\.$/, '') + ' s';
    }
    if (a < 1) return a.toFixed(2) + ' ms';
    return (Math.round(a * 10) / 10) + ' ms';
  }
  function fmtRel(t) {
    if (t === 0) return '0 ms';
    return (t > 0 ? '+' : '-') + fmtMs(t);
  }
  function svgEl(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) node.setAttribute(key, String(attrs[key]));
    if (parent) parent.appendChild(node);
    return node;
  }
  function niceStep(span, count) {
    var raw = span / count;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (raw <= steps[i] * power) return steps[i] * power;
    return 10 * power;
  }

  function showTooltip(lines, event, key) {
    tooltip.textContent = '';
    lines.forEach(function (line, index) {
      var div = document.createElement('div');
      div.textContent = line.text;
      if (index === 0) div.className = 'title';
      else if (line.bad) div.className = 'bad';
      tooltip.appendChild(div);
    });
    tooltip.setAttribute('data-for', key);
    tooltip.hidden = false;
    var x = event.clientX + 14;
    var y = event.clientY + 14;
    var box = tooltip.getBoundingClientRect();
    if (x + box.width > window.innerWidth - 4) x = Math.max(4, event.clientX - box.width - 14);
    if (y + box.height > window.innerHeight - 4) y = Math.max(4, event.clientY - box.height - 14);
    tooltip.style.left = x + 'px';
    tooltip.style.top = y + 'px';
  }
  function hideTooltip() {
    tooltip.hidden = true;
    tooltip.removeAttribute('data-for');
  }

  function Chart(run, root, index) {
    this.run = run;
    this.root = root;
    this.index = index;
    this.range = run.focus || run.full;
    this.buttons = Array.prototype.slice.call(root.parentNode.querySelectorAll('button[data-range]'));
    var lanes = run.groups.reduce(function (sum, g) { return sum + g.lanes; }, 0);
    this.rowH = lanes <= 24 ? 12 : lanes <= 60 ? 7 : lanes <= 150 ? 4 : lanes <= 400 ? 2 : 1;
    this.shimH = run.hasTimeline || run.markers.length > 0 ? 44 : 0;
    // Keyboard: the chart takes focus and the arrow keys step through the bars, problem groups first.
    this.order = run.items.map(function (_, i) { return i; }).sort(function (a, b) {
      return run.items[a][9] - run.items[b][9] || run.items[a][4] - run.items[b][4];
    });
    this.cursor = -1;
    root.tabIndex = 0;
    root.setAttribute('aria-label', 'Timeline of run ' + run.run + '. Arrow keys step through the requests, lost ones first; Escape hides the details.');
    var self = this;
    root.addEventListener('keydown', function (event) { self.key(event); });
    root.addEventListener('blur', function () { self.select(-1); });
    this.buttons.forEach(function (button) {
      button.addEventListener('click', function () {
        self.setRange(button.getAttribute('data-range') === 'focus' && run.focus ? run.focus : run.full);
      });
    });
    this.render();
  }

  Chart.prototype.setRange = function (range) {
    // No closer than 0.05 ms: below that the axis has nothing left to say.
    if (range[1] - range[0] < 0.05) {
      var middle = (range[0] + range[1]) / 2;
      range = [middle - 0.025, middle + 0.025];
    }
    this.range = range;
    this.render();
  };

  Chart.prototype.render = function () {
    var run = this.run;
    var self = this;
    var width = Math.max(this.root.clientWidth, 480);
    var left = 8;
    var right = 8;
    var r0 = this.range[0];
    var r1 = this.range[1];
    var scale = (width - left - right) / (r1 - r0);
    var sx = function (t) { return left + (t - r0) * scale; };
    var clampX = function (x) { return Math.max(-20, Math.min(width + 20, x)); };
    var rowH = this.rowH;
    var gap = rowH >= 4 ? 1 : 0;
    var shimTop = AXIS_H;
    var top = AXIS_H + this.shimH;
    var groupTops = [];
    var y = top;
    run.groups.forEach(function (g) { groupTops.push(y); y += GROUP_HEAD + g.lanes * rowH + 4; });
    var height = Math.max(y + 4, top + 24);

    this.buttons.forEach(function (button) {
      var which = button.getAttribute('data-range') === 'focus' ? run.focus : run.full;
      button.setAttribute('aria-pressed', String(which !== null && which[0] === r0 && which[1] === r1));
    });

    this.root.textContent = '';
    var svg = svgEl('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'Timeline of run ' + run.run + ': ' + run.items.length + ' requests' }, this.root);
    var clipId = 'quiesce-clip-' + this.index;
    var clip = svgEl('clipPath', { id: clipId }, svgEl('defs', {}, svg));
    svgEl('rect', { x: left, y: 0, width: width - left - right, height: height }, clip);
    var plot = svgEl('g', { 'clip-path': 'url(#' + clipId + ')' }, svg);

    // Phases as bands behind everything, named on the shim's lane.
    run.phases.forEach(function (p, i) {
      var x0 = clampX(sx(p.start));
      var x1 = clampX(sx(p.end));
      svgEl('rect', { class: 'phase ' + p.phase, x: x0, y: shimTop, width: Math.max(x1 - x0, 1), height: height - shimTop }, plot);
      svgEl('rect', { class: 'hit', 'data-p': i, x: x0, y: shimTop, width: Math.max(x1 - x0, 3), height: 16 }, plot);
      if (x1 - x0 > 44) {
        var label = svgEl('text', { class: 'phase-label', x: Math.max(x0, left) + 3, y: shimTop + 12 }, plot);
        label.textContent = p.phase + (p.open ? ' (not ended)' : '');
      }
    });

    // Time axis: ms relative to the signal.
    var axis = svgEl('g', { class: 'axis' }, svg);
    var step = niceStep(r1 - r0, Math.max(2, Math.floor(width / 110)));
    var first = Math.ceil(r0 / step);
    for (var k = 0; k <= 200 && (first + k) * step <= r1; k++) {
      var t = (first + k) * step;
      var tx = sx(t);
      svgEl('line', { class: 'grid', x1: tx, x2: tx, y1: AXIS_H - 4, y2: height }, plot);
      var tick = svgEl('text', { x: tx + 2, y: 14 }, axis);
      tick.textContent = fmtRel(Math.abs(t) < step / 1e6 ? 0 : t);
    }

    // Groups: a header line with the count, then the packed lanes.
    run.groups.forEach(function (g, i) {
      var gy = groupTops[i];
      svgEl('line', { class: 'group-rule', x1: 0, x2: width, y1: gy + 0.5, y2: gy + 0.5 }, svg);
      var label = svgEl('text', { class: 'group-label' + (g.problem ? ' problem' : ''), x: left, y: gy + 12 }, svg);
      label.textContent = g.label + ' (' + g.count + ')';
    });

    // Bars, as markup built from numbers and fixed names only: fast for thousands of requests.
    var html = [];
    for (var i = 0; i < run.items.length; i++) {
      var item = run.items[i];
      var x0 = clampX(sx(item[4]));
      var x1 = clampX(sx(item[5]));
      var by = groupTops[item[9]] + GROUP_HEAD + item[10] * rowH;
      var outcome = OUTCOMES[item[6]] || 'error';
      html.push('<rect class="bar o-' + outcome + '" data-i="' + i + '" data-id="' + Number(item[0]) + '" data-outcome="' + outcome +
        '" x="' + x0.toFixed(2) + '" y="' + by + '" width="' + Math.max(x1 - x0 - gap, 1.5).toFixed(2) + '" height="' + Math.max(rowH - gap, 1) + '"/>');
    }
    var bars = svgEl('g', { class: 'bars' }, plot);
    bars.innerHTML = html.join('');

    // Markers: the signal, the deadline and the exit across the chart; the shim's events as points on its lane.
    var labelRows = [-1e9, -1e9];
    run.markers.forEach(function (m, i) {
      var mx = sx(m.t);
      if (mx < left - 1 || mx > width - right + 1) return;
      if (m.line) {
        svgEl('line', { class: 'marker ' + m.kind + (m.bad ? ' bad' : ''), x1: mx, x2: mx, y1: AXIS_H - 4, y2: height }, svg);
        // Hover on the shim's lane only, so that the line never hides the bars it crosses.
        svgEl('rect', { class: 'hit', 'data-m': i, 'data-kind': m.kind, x: mx - 4, y: 0, width: 8, height: top }, svg);
        var labelWidth = 6.5 * m.label.length;
        var toLeft = mx + 3 + labelWidth > width - right;
        var from = toLeft ? mx - 3 - labelWidth : mx + 3;
        var row = labelRows[0] < from ? 0 : labelRows[1] < from ? 1 : 2;
        var label = svgEl('text', { class: 'marker-label', x: toLeft ? mx - 3 : mx + 3, y: shimTop + (self.shimH ? 24 + Math.min(row, 1) * 12 : 12),
          'text-anchor': toLeft ? 'end' : 'start' }, svg);
        label.textContent = m.label;
        labelRows[Math.min(row, 1)] = from + labelWidth + 6;
      } else {
        var py = shimTop + self.shimH - 7;
        var shape = m.bad
          ? svgEl('path', { class: 'point bad', d: 'M' + mx + ' ' + (py - 6) + 'l6 6l-6 6l-6 -6z' }, svg)
          : svgEl('circle', { class: 'point info', cx: mx, cy: py, r: 4 }, svg);
        shape.setAttribute('data-m', String(i));
        shape.setAttribute('data-kind', m.kind);
      }
    });

    this.selection = svgEl('rect', { class: 'selection', x: 0, y: 0, width: 0, height: height, visibility: 'hidden' }, svg);
    this.svg = svg;
    this.invert = function (x) { return r0 + (x - left) / scale; };
    this.bind();
    if (this.cursor >= 0) this.select(this.cursor);
  };

  Chart.prototype.key = function (event) {
    var last = this.order.length - 1;
    var next = null;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = Math.min(this.cursor + 1, last);
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = Math.max(this.cursor - 1, 0);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = last;
    else if (event.key === 'Escape') next = -1;
    if (next === null || last < 0) return;
    event.preventDefault();
    this.select(next);
  };

  Chart.prototype.select = function (cursor) {
    var previous = this.svg.querySelector('rect.bar.selected');
    if (previous) previous.classList.remove('selected');
    this.cursor = cursor;
    if (cursor < 0) { hideTooltip(); return; }
    var bar = this.svg.querySelector('rect.bar[data-i="' + this.order[cursor] + '"]');
    if (!bar) return;
    bar.classList.add('selected');
    var box = bar.getBoundingClientRect();
    var found = this.describe(bar);
    showTooltip(found.lines, { clientX: Math.min(box.right, window.innerWidth - 40), clientY: box.bottom }, found.key);
  };

  Chart.prototype.describe = function (target) {
    var run = this.run;
    var value = target.getAttribute('data-i');
    if (value !== null) {
      var item = run.items[Number(value)];
      var method = item[2] >= 0 ? run.strings[item[2]] : '';
      var path = item[3] >= 0 ? run.strings[item[3]] : '';
      var group = run.groups[item[9]];
      var lines = [{ text: (item[1] === 1 ? 'work unit ' : '') + (method ? method + ' ' : '') + path }];
      lines.push({ text: (item[1] === 1 ? 'work unit #' : 'request #') + item[0] });
      lines.push({ text: 'outcome: ' + (LABELS[item[6]] || 'unknown'), bad: group.problem });
      if (item[7] >= 0) lines.push({ text: 'status: ' + item[7] });
      if (item[8] >= 0) lines.push({ text: 'error: ' + run.strings[item[8]], bad: group.problem });
      lines.push({ text: 'sent: ' + fmtRel(item[4]) + ', done: ' + fmtRel(item[5]) + ' (from the ' + (run.origin === 'signal' ? run.signal : run.origin) + ')' });
      lines.push({ text: 'took: ' + fmtMs(item[5] - item[4]) });
      lines.push({ text: group.label, bad: group.problem });
      return { key: 'item-' + item[0], lines: lines };
    }
    value = target.getAttribute('data-m');
    if (value !== null) {
      var marker = run.markers[Number(value)];
      var at = [{ text: marker.label }, { text: 'at ' + fmtRel(marker.t) }];
      return { key: 'marker-' + value, lines: at.concat(marker.detail.map(function (text) { return { text: text, bad: marker.bad }; })) };
    }
    value = target.getAttribute('data-p');
    if (value !== null) {
      var p = run.phases[Number(value)];
      return { key: 'phase-' + value, lines: [
        { text: p.phase + ' phase' + (p.open ? ' (never ended)' : '') },
        { text: fmtRel(p.start) + ' to ' + fmtRel(p.end) + ', ' + fmtMs(p.end - p.start) },
      ] };
    }
    return null;
  };

  Chart.prototype.bind = function () {
    var self = this;
    var svg = this.svg;
    var dragFrom = null;
    var pointX = function (event) { return event.clientX - svg.getBoundingClientRect().left; };
    svg.addEventListener('mousemove', function (event) {
      if (dragFrom !== null) {
        var x = pointX(event);
        self.selection.setAttribute('x', String(Math.min(x, dragFrom)));
        self.selection.setAttribute('width', String(Math.abs(x - dragFrom)));
        self.selection.setAttribute('visibility', 'visible');
        hideTooltip();
        return;
      }
      var found = self.describe(event.target);
      if (found) showTooltip(found.lines, event, found.key);
      else hideTooltip();
    });
    svg.addEventListener('mouseleave', function () { if (dragFrom === null) hideTooltip(); });
    svg.addEventListener('mousedown', function (event) {
      if (event.button !== 0) return;
      dragFrom = pointX(event);
      event.preventDefault();
    });
    svg.addEventListener('dblclick', function () { self.setRange(self.run.full); });
    var finish = function (event) {
      if (dragFrom === null) return;
      var from = dragFrom;
      dragFrom = null;
      window.removeEventListener('mouseup', finish);
      var to = pointX(event);
      self.selection.setAttribute('visibility', 'hidden');
      if (Math.abs(to - from) < 5) return;
      self.setRange([self.invert(Math.min(from, to)), self.invert(Math.max(from, to))]);
    };
    svg.addEventListener('mousedown', function () { window.addEventListener('mouseup', finish); });
  };

  var charts = [];
  data.runs.forEach(function (run, index) {
    var root = document.querySelector('[data-chart="' + index + '"]');
    if (root) charts.push(new Chart(run, root, index));
  });
  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { charts.forEach(function (chart) { chart.render(); }); }, 150);
  });
})();
`;
