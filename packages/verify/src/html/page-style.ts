// The page's stylesheet, inlined into its <style>. Outcome colours are the Okabe-Ito palette (told
// apart with the common colour-vision deficiencies); failures also carry a stripe pattern, and the
// legend and the hover name every outcome in words.
export const pageStyle = String.raw`
:root { color-scheme: light; --fg: #1a1a1a; --muted: #555; --line: #d0d0d0; --bg: #fff; --panel: #f6f6f4;
  --pass: #0b6b3a; --fail: #b3261e; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
* { box-sizing: border-box; }
.defs { position: absolute; }
body { margin: 0; color: var(--fg); background: var(--bg); }
header.page, main { max-width: 1400px; margin: 0 auto; padding: 0 20px; }
header.page { padding-top: 18px; }
h1 { font-size: 22px; margin: 0 0 6px; display: flex; gap: 10px; align-items: center; }
h2 { font-size: 18px; margin: 0; display: flex; gap: 10px; align-items: center; }
h3 { font-size: 14px; margin: 14px 0 6px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.command { margin: 0 0 8px; word-break: break-all; }
.verdict { display: inline-block; padding: 1px 9px; border-radius: 4px; color: #fff; font-weight: 700; letter-spacing: .04em; font-size: .85em; }
.verdict.pass { background: var(--pass); }
.verdict.fail { background: var(--fail); }
.headline { margin: 6px 0 10px; font-size: 15px; }
.run { border-top: 1px solid var(--line); margin-top: 18px; padding-top: 14px; }
.overview { border-collapse: collapse; margin: 10px 0; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid #eee; vertical-align: top; }
th { font-weight: 600; color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
dl.counts > div { background: var(--panel); border: 1px solid #e4e4e0; border-radius: 6px; padding: 6px 10px; min-width: 112px; }
dl.counts > div.bad { border-color: var(--fail); background: #fdf0ef; }
dl.counts dt { color: var(--muted); font-size: 12px; }
dl.counts dd { margin: 0; font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; }
ul.checks { list-style: none; padding: 0; margin: 6px 0; }
ul.checks li { padding: 2px 0; display: flex; gap: 8px; }
.mark { font-weight: 700; min-width: 58px; }
.mark.pass { color: var(--pass); }
.mark.fail { color: var(--fail); }
figure.timeline { margin: 12px 0; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 4px 0 8px; padding: 0; list-style: none; font-size: 13px; }
.legend li { display: flex; align-items: center; gap: 5px; }
.legend svg { width: 22px; height: 12px; flex: none; }
.toolbar { display: flex; gap: 8px; align-items: center; margin-bottom: 4px; font-size: 13px; color: var(--muted); }
.toolbar button { flex: none; white-space: nowrap; font: inherit; color: var(--fg); background: #fff; border: 1px solid #bbb; border-radius: 4px; padding: 2px 10px; cursor: pointer; }
.toolbar button[aria-pressed="true"] { background: #1a1a1a; color: #fff; border-color: #1a1a1a; }
.chart { position: relative; width: 100%; min-height: 60px; border: 1px solid var(--line); border-radius: 4px; overflow: hidden; user-select: none; }
.chart svg { display: block; width: 100%; }
.chart .axis text, .chart .group-label, .chart .marker-label, .chart .phase-label { font-size: 11px; fill: #333; }
.chart .group-label { font-weight: 600; }
.chart .group-label.problem { fill: var(--fail); }
.chart .grid { stroke: #ececec; }
.chart .group-rule { stroke: #c8c8c8; }
.chart .phase { opacity: .9; }
.chart .phase-label, .chart .marker-label, .chart .group-label, .chart .grid, .chart .phase, .chart .group-rule, .chart line.marker { pointer-events: none; }
.chart line.marker { stroke: #1a1a1a; stroke-width: 1.5; }
.chart line.marker.deadline { stroke: var(--fail); stroke-dasharray: 6 3; stroke-width: 2; }
.chart line.marker.exit { stroke: #1a1a1a; stroke-dasharray: 2 2; }
.chart line.marker.exit.bad { stroke: var(--fail); }
.chart .point { stroke: #fff; stroke-width: 1; cursor: help; }
.chart .point.bad { fill: var(--fail); }
.chart .point.info { fill: #333; }
.chart .hit { fill: transparent; cursor: help; }
.chart .bar { cursor: crosshair; }
.chart .bar:hover { stroke: #000; stroke-width: 1; }
.chart .bar.selected { stroke: #000; stroke-width: 2; }
.chart:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
.chart .selection { fill: rgba(0, 114, 178, .15); stroke: #0072B2; pointer-events: none; }
.phase.intake { fill: #fff1c2; } .phase.drain { fill: #dcebfb; } .phase.cleanup { fill: #ece6fb; }
.o-completed { fill: #009E73; } .o-status { fill: #E69F00; } .o-refused { fill: #56B4E9; }
.o-reset { fill: url(#q-reset); } .o-hung { fill: url(#q-hung); } .o-error { fill: url(#q-error); }
.tooltip { position: fixed; z-index: 10; max-width: 460px; background: #1a1a1a; color: #fff; padding: 7px 10px; border-radius: 5px;
  font-size: 12.5px; line-height: 1.4; pointer-events: none; box-shadow: 0 2px 8px rgba(0,0,0,.25); word-break: break-word; }
.tooltip .title { font-weight: 700; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.tooltip .bad { color: #ffb4a8; font-weight: 600; }
details { margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; }
pre.output { background: var(--panel); padding: 8px; overflow: auto; max-height: 320px; margin: 6px 0; }
.muted { color: var(--muted); }
.note { color: var(--muted); font-size: 13px; margin: 4px 0; }
`;
