/*
 * Draws the charts of one dashboard page. A classic script (module scripts do
 * not load from file://), no network, no eval: vega-embed runs with `ast: true`
 * and its bundled vega-interpreter, so a Content-Security-Policy without
 * 'unsafe-eval' holds. The page's data sits in <script type="application/json"
 * id="dashboard-data">, column-wise (dashboards/encode.ts); every label is put
 * into the document as text, never as HTML.
 */
(function () {
  'use strict';
  var holder = document.getElementById('dashboard-data');
  if (!holder) return;
  performance.mark('dashboard:start');
  var page = JSON.parse(holder.textContent);
  var state = { rendered: 0, failed: 0, expected: page.charts.length, views: {} };
  window.dashboard = state;
  document.body.setAttribute('data-charts-expected', String(state.expected));
  document.body.setAttribute('data-charts-rendered', '0');
  var locale = vega.locale(page.locale.number, page.locale.time);

  function decode(data) {
    var rows = new Array(data.n);
    var fields = Object.keys(data.cols);
    for (var i = 0; i < data.n; i++) {
      var row = {};
      for (var j = 0; j < fields.length; j++) {
        var c = data.cols[fields[j]];
        if (c.v) row[fields[j]] = c.v[i];
        else row[fields[j]] = c.k[i] === null ? null : c.d[c.k[i]];
      }
      rows[i] = row;
    }
    return rows;
  }

  var datasets = {};
  Object.keys(page.datasets).forEach(function (name) {
    datasets[name] = decode(page.datasets[name]);
  });

  performance.mark('dashboard:decoded');
  // Vega writes derived fields into the tuples it is given: every chart gets its own copies.
  function copies(names) {
    var out = {};
    names.forEach(function (name) {
      out[name] = datasets[name].map(function (r) {
        return Object.assign({}, r);
      });
    });
    return out;
  }

  function keep(row, filters, view) {
    for (var i = 0; i < filters.length; i++) {
      var f = filters[i];
      var v = row[f.field];
      if (f.param !== undefined && v !== view.signal(f.param)) return false;
      if (f.params && f.params.map(function (p) { return view.signal(p); }).indexOf(v) < 0) return false;
      if (f.oneOf && f.oneOf.indexOf(v) < 0) return false;
    }
    return true;
  }

  function cellText(col, row) {
    var v = row[col.field];
    if (v === null || v === undefined) return col.hiddenWhenNull ? page.text.hidden : page.text.noRows;
    if (col.labels && Object.prototype.hasOwnProperty.call(col.labels, v)) return col.labels[v];
    var fmt = col.format;
    if (col.formatBy) fmt = col.formatBy.formats[row[col.formatBy.field]];
    if (fmt && typeof v === 'number') return locale.format(fmt)(v);
    return String(v);
  }

  function buildTable(chart, view) {
    var def = chart.table;
    var table = document.createElement('table');
    var caption = document.createElement('caption');
    caption.textContent = document.getElementById('title-' + chart.id).textContent;
    table.appendChild(caption);
    var head = document.createElement('tr');
    def.columns.forEach(function (col) {
      var th = document.createElement('th');
      th.scope = 'col';
      th.textContent = col.label;
      head.appendChild(th);
    });
    var thead = document.createElement('thead');
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = document.createElement('tbody');
    datasets[def.dataset].forEach(function (row) {
      if (!keep(row, def.filters, view)) return;
      var tr = document.createElement('tr');
      def.columns.forEach(function (col, i) {
        var td = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) td.scope = 'row';
        td.textContent = cellText(col, row);
        if (col.format || col.formatBy) td.className = 'num';
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    return table;
  }

  function setupTable(chart, view) {
    var details = document.getElementById('tablebox-' + chart.id);
    var target = document.getElementById('table-' + chart.id);
    if (!details || !target) return;
    function render() {
      if (details.open) target.replaceChildren(buildTable(chart, view));
    }
    details.addEventListener('toggle', render);
    chart.table.filters.forEach(function (f) {
      (f.param !== undefined ? [f.param] : f.params || []).forEach(function (p) {
        view.addSignalListener(p, render);
      });
    });
  }

  // The chart is one image to assistive technology, named by a sentence built with the page
  // (dashboards/names.ts) for the current choice of the controls; the table alternative has the numbers.
  function setupName(chart, el, view) {
    var svg = el.querySelector('svg');
    if (!svg) return;
    // Vega marks the container as a document described by the spec; the figure already says that.
    ['role', 'aria-roledescription', 'aria-label'].forEach(function (a) {
      el.removeAttribute(a);
    });
    svg.setAttribute('role', 'img');
    svg.removeAttribute('aria-roledescription');
    svg.setAttribute('aria-describedby', 'desc-' + chart.id);
    function update() {
      var key = JSON.stringify(chart.name.params.map(function (p) { return view.signal(p); }));
      var text = chart.name.texts[key];
      svg.setAttribute('aria-label', text || document.getElementById('title-' + chart.id).textContent);
    }
    update();
    chart.name.params.forEach(function (p) {
      view.addSignalListener(p, update);
    });
  }

  var options = {
    // An empty choice (a department without data for a metric) leaves a chart empty; Vega would warn
    // about the empty scale domain in the console. Errors are still reported.
    logLevel: vega.Error,
    renderer: 'svg',
    actions: false,
    ast: true,
    defaultStyle: false,
    formatLocale: page.locale.number,
    timeFormatLocale: page.locale.time,
    tooltip: { disableDefaultStyle: true, theme: 'light' },
  };

  page.charts.forEach(function (chart) {
    var el = document.getElementById('chart-' + chart.id);
    var spec = Object.assign({}, chart.spec, { datasets: copies(chart.datasets) });
    // The figure's heading already shows the title; the static SVG images keep it.
    delete spec.title;
    vegaEmbed(el, spec, options)
      .then(function (result) {
        state.views[chart.id] = result.view;
        state.rendered += 1;
        performance.mark('dashboard:chart:' + chart.id);
        document.body.setAttribute('data-charts-rendered', String(state.rendered));
        setupName(chart, el, result.view);
        setupTable(chart, result.view);
      })
      .catch(function (err) {
        state.failed += 1;
        document.body.setAttribute('data-charts-failed', String(state.failed));
        el.textContent = String(err && err.message ? err.message : err);
        console.error(err);
      });
  });
})();
