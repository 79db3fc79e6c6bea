/*
 * Ankang dashboards: small wrappers around the vendored Apache ECharts (static/vendor/echarts/).
 *
 * Data arrives once per page, embedded by Django's json_script; nothing is fetched:
 *
 *   {{ charts|json_script:"chart-data" }}           one object: {chartKey: spec, ...}
 *   {{ county_geojson|json_script:"county-geo" }}   only on pages with a county map
 *   <div class="chart" data-chart="trend" data-key="trend"></div>
 *   <script src="{% static 'vendor/echarts/echarts.min.js' %}"></script>
 *   <script src="{% static 'js/charts.js' %}"></script>   (draws every [data-chart] on load)
 *
 * Kinds (data-chart):
 *   countyMap  {items: [{name, value, status?, label?, short?, url?}], unit?, title?}
 *              (label: the tooltip's text; short: printed under the name when there is no status)
 *              counties coloured by status (when given) or by value; stamped 示意图
 *   bar        {categories: [...], series: [{name, data: [number|{value, status?, url?}]}],
 *               horizontal?, unit?, target?, sort?}
 *              (sort: "desc" orders the categories by the first series' value, largest first,
 *               no-data last — a leader reads a ranking, not the code order)
 *   trend      {quarters: [...], value: [...], target: [...]|number, pace: [...], unit?,
 *               names?: {value, target, pace}, urls?: [...]}
 *   sparkline  {values: [...], quarters?: [...]}
 *
 * Status colours are Okabe–Ito (safe for the common colour-vision deficiencies) and every
 * status also carries a symbol and a text label, and bars and areas get decal patterns (aria),
 * so colour is never the only signal.
 */
(function (global) {
  "use strict";

  var echarts = global.echarts;
  var STATUS = {
    green: {color: "#009E73", symbol: "●", label: "达到进度"},
    amber: {color: "#E69F00", symbol: "▲", label: "有风险"},
    red: {color: "#D55E00", symbol: "■", label: "滞后"},
    none: {color: "#BBBBBB", symbol: "○", label: "无数据"}
  };
  var SERIES_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"];
  var MAP_NAME = "ankang-counties";
  var FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';
  var charts = [];

  function statusOf(key, labels) {
    var s = STATUS[key] || STATUS.none;
    var label = (labels && labels[key]) || s.label;
    return {color: s.color, symbol: s.symbol, label: label, text: s.symbol + " " + label};
  }

  function fmt(v, unit) {
    if (v === null || v === undefined || v === "") return "—";
    var n = Number(v);
    var s = isFinite(n) ? n.toLocaleString("zh-CN", {maximumFractionDigits: 2}) : String(v);
    return unit ? s + " " + unit : s;
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function base(extra) {
    var option = {
      aria: {enabled: true, decal: {show: true}},
      color: SERIES_COLORS,
      textStyle: {fontFamily: FONT},
      animation: false
    };
    for (var k in extra) if (Object.prototype.hasOwnProperty.call(extra, k)) option[k] = extra[k];
    return option;
  }

  function niceCeil(x) {
    if (!(x > 0)) return undefined;
    var step = Math.pow(10, Math.floor(Math.log10(x)) - 1);
    return Math.ceil(x / step) * step;
  }

  function narrow(el) { return el.clientWidth < 480; }

  function follow(chart) {
    // every figure clicks through to the values behind it
    chart.on("click", function (p) {
      var url = (p.data && p.data.url) || (p.seriesIndex !== undefined && p.dataIndex !== undefined &&
        chart.__urls && chart.__urls[p.dataIndex]);
      if (url) global.location.href = url;
    });
  }

  function registerCountyMap(geojson) {
    if (!echarts.getMap(MAP_NAME)) echarts.registerMap(MAP_NAME, geojson);
  }

  function countyMap(chart, spec, el) {
    var geo = spec.geojson || readJson("county-geo");
    if (!geo) throw new Error("countyMap needs the county GeoJSON (json_script id county-geo)");
    registerCountyMap(geo);
    var labels = spec.statusLabels;
    var byStatus = spec.items.some(function (i) { return i.status; });
    var data = spec.items.map(function (i) {
      var item = {name: i.name, value: i.value === null ? NaN : Number(i.value), status: i.status,
                  display: i.label, short: i.short, url: i.url};
      if (byStatus) item.itemStyle = {areaColor: statusOf(i.status, labels).color};
      return item;
    });
    var values = data.map(function (d) { return d.value; }).filter(isFinite);
    var option = base({
      // symbols in the labels carry the status; decal stripes would hide the county names
      aria: {enabled: true, decal: {show: false}},
      title: {text: spec.title || "", subtext: spec.stamp || "示意图", left: "left",
              textStyle: {fontSize: 14}, subtextStyle: {color: "#555"}},
      tooltip: {trigger: "item", formatter: function (p) {
        var d = p.data || {};
        var lines = ["<b>" + escapeHtml(p.name) + "</b>", escapeHtml(d.display || fmt(d.value, spec.unit))];
        if (d.status) lines.push(escapeHtml(statusOf(d.status, labels).text));
        return lines.join("<br>");
      }},
      series: [{
        type: "map", map: MAP_NAME, nameProperty: "name", roam: false, selectedMode: false,
        showLegendSymbol: false,
        layoutCenter: ["50%", "55%"], layoutSize: narrow(el) ? "95%" : "90%",
        label: {show: true, fontSize: narrow(el) ? 9 : 11, color: "#111", textBorderColor: "#fff", textBorderWidth: 2,
                formatter: function (p) {
          var d = p.data || {};
          if (d.status) return p.name + "\n" + statusOf(d.status, labels).symbol;
          return d.short ? p.name + "\n" + d.short : p.name;
        }},
        itemStyle: {borderColor: "#fff", borderWidth: 1, areaColor: "#eee"},
        emphasis: {label: {show: true}, itemStyle: {areaColor: "#56B4E9"}},
        data: data
      }]
    });
    if (byStatus) {
      // the legend counts the counties in each status and gives the range of their figures
      var present = {};
      data.forEach(function (d) {
        var k = d.status || "none";
        var p = present[k] || (present[k] = {count: 0, min: null, max: null, minText: "", maxText: ""});
        p.count += 1;
        if (isFinite(d.value)) {
          if (p.min === null || d.value < p.min) { p.min = d.value; p.minText = d.display || fmt(d.value, spec.unit); }
          if (p.max === null || d.value > p.max) { p.max = d.value; p.maxText = d.display || fmt(d.value, spec.unit); }
        }
      });
      option.legend = {show: false};
      var lines = Object.keys(STATUS).filter(function (k) { return present[k]; }).map(function (k) {
        var p = present[k];
        var range = p.min === null ? "" : (p.min === p.max ? "：" + p.minText : "：" + p.minText + "～" + p.maxText);
        return statusOf(k, labels).text + " " + p.count + "个" + range;
      });
      option.graphic = [{type: "text", left: 4, bottom: 4, style: {
        text: lines.join("\n"), lineHeight: 16, fontSize: 11, fill: "#333", fontFamily: FONT}}];
    } else if (values.length) {
      option.visualMap = {min: Math.min.apply(null, values), max: Math.max.apply(null, values),
                          left: "left", bottom: 0, calculable: false, itemHeight: 80,
                          text: [fmt(Math.max.apply(null, values), spec.unit), fmt(Math.min.apply(null, values), spec.unit)],
                          inRange: {color: ["#deebf7", "#6baed6", "#08519c"]}};
    }
    chart.setOption(option);
  }

  function valueOf(d) {
    var v = (d !== null && typeof d === "object") ? d.value : d;
    return (v === null || v === undefined || v === "" || !isFinite(Number(v))) ? null : Number(v);
  }

  function sorted(spec) {
    // the categories by the first series' value, largest first; no data last; ties keep their order
    var order = spec.categories.map(function (_, i) { return i; });
    var first = spec.series[0].data;
    order.sort(function (a, b) {
      var va = valueOf(first[a]), vb = valueOf(first[b]);
      if (va === null && vb === null) return a - b;
      if (va === null) return 1;
      if (vb === null) return -1;
      return (spec.sort === "asc" ? va - vb : vb - va) || a - b;
    });
    var out = {};
    for (var k in spec) if (Object.prototype.hasOwnProperty.call(spec, k)) out[k] = spec[k];
    out.categories = order.map(function (i) { return spec.categories[i]; });
    out.series = spec.series.map(function (s) {
      var copy = {};
      for (var k in s) if (Object.prototype.hasOwnProperty.call(s, k)) copy[k] = s[k];
      copy.data = order.map(function (i) { return s.data[i]; });
      return copy;
    });
    return out;
  }

  function bar(chart, spec, el) {
    if (spec.sort && spec.series.length) spec = sorted(spec);
    var horizontal = !!spec.horizontal;
    var labels = spec.statusLabels;
    // labels never run over the axis or each other: long names are cut with an ellipsis (the
    // tooltip has the whole name), vertical bars' names turn on a phone
    var labelWidth = horizontal ? (narrow(el) ? 84 : 160) : (narrow(el) ? 64 : 96);
    var categoryAxis = {type: "category", data: spec.categories, inverse: horizontal,
                        axisLabel: {interval: 0, fontSize: 11, rotate: !horizontal && narrow(el) ? 45 : 0,
                                    width: labelWidth, overflow: "truncate", ellipsis: "…"}};
    var valueAxis = {type: "value", name: spec.unit || "", axisLabel: {fontSize: 10, hideOverlap: true},
                     nameLocation: "end", nameGap: 6,
                     nameTextStyle: horizontal ? {align: "right", verticalAlign: "top", padding: [14, 0, 0, 0]} : {}};
    if (spec.target !== undefined && spec.target !== null) {
      // keep the target line on the chart even when every bar falls short of it
      valueAxis.max = function (v) { return niceCeil(Math.max(v.max, Number(spec.target)) * 1.05); };
    }
    var series = spec.series.map(function (s) {
      return {
        type: "bar", name: s.name, barMaxWidth: 28,
        label: {show: spec.series.length === 1, position: horizontal ? "right" : "top", fontSize: 10,
                formatter: function (p) {
                  var d = p.data || {};
                  var text = d.display || fmt(d.value !== undefined ? d.value : p.value);
                  return d.status ? text + " " + statusOf(d.status, labels).symbol : text;
                }},
        data: s.data.map(function (d) {
          var item = (d !== null && typeof d === "object") ? d : {value: d};
          if (item.status) item.itemStyle = {color: statusOf(item.status, labels).color};
          return item;
        }),
        markLine: spec.target !== undefined && spec.target !== null ? {
          symbol: "none", silent: true, lineStyle: {type: "dashed", color: "#333"},
          // the target's label at the far end of its line, clear of the axis labels
          label: {formatter: spec.targetLabel || "目标", fontSize: 10, position: horizontal ? "start" : "end"},
          data: [horizontal ? {xAxis: Number(spec.target)} : {yAxis: Number(spec.target)}]
        } : undefined
      };
    });
    chart.setOption(base({
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, formatter: function (ps) {
        var lines = ["<b>" + escapeHtml(ps[0].name) + "</b>"];
        ps.forEach(function (p) {
          var d = p.data || {};
          var row = escapeHtml(p.seriesName) + ": " + escapeHtml(d.display || fmt(p.value, spec.unit));
          if (d.status) row += " " + escapeHtml(statusOf(d.status, labels).text);
          lines.push(row);
        });
        return lines.join("<br>");
      }},
      legend: {show: spec.series.length > 1, top: 0},
      grid: {left: 8, right: horizontal ? 56 : 16, top: spec.series.length > 1 ? 40 : 24,
             bottom: horizontal ? 24 : 8, containLabel: true},
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: series
    }));
  }

  function trend(chart, spec, el) {
    var names = spec.names || {value: "实际", target: "目标", pace: "进度线"};
    var n = spec.quarters.length;
    var target = Array.isArray(spec.target) ? spec.target : spec.quarters.map(function () { return spec.target; });
    var series = [
      {type: "line", name: names.value, data: spec.value, symbolSize: 6, connectNulls: false,
       lineStyle: {width: 3}, itemStyle: {color: "#0072B2"}, symbol: "circle"},
      {type: "line", name: names.pace, data: spec.pace || [], symbol: "triangle", symbolSize: 5,
       lineStyle: {type: "dashed", width: 2}, itemStyle: {color: "#E69F00"}},
      {type: "line", name: names.target, data: target, symbol: "none", step: "end",
       lineStyle: {type: "dotted", width: 2}, itemStyle: {color: "#555"}}
    ];
    chart.__urls = spec.urls || null;
    chart.setOption(base({
      tooltip: {trigger: "axis", valueFormatter: function (v) { return fmt(v, spec.unit); }},
      legend: {top: 0, itemWidth: 18, textStyle: {fontSize: 11}},
      grid: {left: 8, right: 16, top: 30, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: spec.quarters, boundaryGap: false,
              // the first and last quarters' names stay inside the chart, not cut at its edges
              axisLabel: {fontSize: 10, hideOverlap: true, interval: narrow(el) ? "auto" : (n > 12 ? 1 : 0),
                          alignMinLabel: "left", alignMaxLabel: "right"}},
      yAxis: {type: "value", name: spec.unit || "", scale: !!spec.scale, axisLabel: {fontSize: 10}},
      series: series
    }));
  }

  function sparkline(chart, spec) {
    var values = spec.values.map(function (v) { return v === null ? null : Number(v); });
    chart.setOption(base({
      aria: {enabled: true, decal: {show: false}},
      grid: {left: 2, right: 2, top: 4, bottom: 4},
      xAxis: {type: "category", show: false, data: spec.quarters || values.map(function (_, i) { return i; }),
              boundaryGap: false},
      yAxis: {type: "value", show: false, scale: true},
      tooltip: {trigger: "axis", valueFormatter: function (v) { return fmt(v, spec.unit); },
                confine: true, textStyle: {fontSize: 11}},
      series: [{type: "line", data: values, symbol: "none", lineStyle: {width: 2, color: "#0072B2"},
                areaStyle: {color: "rgba(0,114,178,0.12)"}}]
    }));
  }

  var KINDS = {countyMap: countyMap, bar: bar, trend: trend, sparkline: sparkline};

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  /** Draw one chart into el; returns the ECharts instance. */
  function draw(el, kind, spec) {
    if (!KINDS[kind]) throw new Error("unknown chart kind: " + kind);
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, {renderer: "svg", locale: "ZH"});
    KINDS[kind](chart, spec, el);
    follow(chart);
    el.setAttribute("data-drawn", "1");
    charts.push(chart);
    return chart;
  }

  /** Draw every [data-chart] element from the page's embedded data (json_script id chart-data). */
  function drawAll(root) {
    var data = readJson("chart-data") || {};
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      var spec = data[el.getAttribute("data-key")];
      if (spec) draw(el, el.getAttribute("data-chart"), spec);
    });
  }

  /** Each cell of the dashboards' tables (.dash-table) carries its column's name (data-label), so
   *  a phone can show a row as a card (static/css/dashboards.css). */
  function labelCells(root) {
    (root || document).querySelectorAll("table.dash-table").forEach(function (table) {
      var names = Array.prototype.map.call(table.querySelectorAll("thead tr:last-child th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var column = 0;
        Array.prototype.forEach.call(tr.children, function (cell) {
          if (!cell.hasAttribute("data-label") && names[column]) cell.setAttribute("data-label", names[column]);
          column += cell.colSpan || 1;
        });
      });
    });
  }

  function resizeAll() { charts.forEach(function (c) { c.resize(); }); }

  var timer = null;
  global.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(resizeAll, 100);
  });
  // print at the paper's width, then back
  global.addEventListener("beforeprint", resizeAll);
  global.addEventListener("afterprint", resizeAll);

  global.AnkangCharts = {draw: draw, drawAll: drawAll, resizeAll: resizeAll, labelCells: labelCells, STATUS: STATUS,
                         status: statusOf, format: fmt, registerCountyMap: registerCountyMap};

  function start() { labelCells(); drawAll(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(window);
