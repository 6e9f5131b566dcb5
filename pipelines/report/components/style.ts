/**
 * The page's only stylesheet, inline so the page needs nothing from the network. Static text:
 * nothing from the ledger is ever put in here.
 */
export const BOARD_CSS = `
:root {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa;
  --good: #116329; --good-bg: #dafbe1; --info: #0550ae; --info-bg: #ddf4ff;
  --warn: #7d4e00; --warn-bg: #fff8c5; --bad: #a40e26; --bad-bg: #ffebe9; --none: #59636e; --none-bg: #f6f8fa;
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 0 16px 40px; }
h1 { font-size: 22px; margin: 16px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
a { color: var(--info); }
code { font: 12px/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.summary, .links, .legend { margin: 4px 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; }
.tone-good { --tone: var(--good); --tone-bg: var(--good-bg); }
.tone-info { --tone: var(--info); --tone-bg: var(--info-bg); }
.tone-warn { --tone: var(--warn); --tone-bg: var(--warn-bg); }
.tone-bad { --tone: var(--bad); --tone-bg: var(--bad-bg); }
.tone-none { --tone: var(--none); --tone-bg: var(--none-bg); }
.badge { display: inline-block; margin: 2px 2px 0 0; padding: 0 5px; border: 1px solid var(--tone); border-radius: 4px;
  color: var(--tone); background: var(--tone-bg); font-size: 12px; font-weight: 600; overflow-wrap: anywhere; }
.badges { list-style: none; margin: 4px 0 0; padding: 0; }
table { border-collapse: separate; border-spacing: 0; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
thead th { background: var(--head); border-bottom: 2px solid var(--line); }
/* With fifty services the matrix is long: its environments stay in view. */
table.matrix thead th, table.services thead th { position: sticky; top: 0; z-index: 2; }
table.matrix { table-layout: fixed; }
table.matrix th.service-col { width: 150px; }
table.matrix tbody th { overflow-wrap: anywhere; }
td.cell { border-left: 4px solid var(--tone); overflow-wrap: anywhere; }
td.cell .version { font-size: 16px; font-weight: 700; }
td.cell .meta { font-size: 12px; color: var(--muted); }
.drift { margin: 4px 0 0; padding-left: 16px; color: var(--bad); font-size: 12px; }
/* An environment in maintenance: a banner at the top, and its column hatched, so no one misses it. */
.maintenance { margin: 8px 0; display: grid; gap: 8px; }
.banner { border: 2px solid var(--tone); border-left-width: 8px; border-radius: 6px; background: var(--tone-bg);
  padding: 6px 12px; overflow-wrap: anywhere; }
.banner p { margin: 2px 0; }
.banner .title { font-size: 16px; font-weight: 700; color: var(--tone); }
table.matrix thead th.in-maintenance { background: var(--warn-bg); border-bottom-color: var(--warn); }
td.cell.in-maintenance { background: repeating-linear-gradient(135deg, #fff 0 8px, var(--warn-bg) 8px 16px); }
details { margin-top: 4px; font-size: 12px; }
summary { cursor: pointer; color: var(--info); }
ol.history { list-style: none; margin: 4px 0 0; padding: 0; }
ol.history li { border-left: 3px solid var(--tone); padding: 2px 0 4px 6px; margin-bottom: 4px; background: #fff; }
table.waiting td, table.services td, table.services th { font-size: 13px; }
table.services td { white-space: nowrap; }
table.services td .badge { white-space: normal; }
table.waiting code { user-select: all; }
.cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.card h3 { font-size: 14px; margin: 0 0 4px; }
.card .big { font-size: 22px; font-weight: 700; }
.card svg { display: block; margin-top: 6px; }
svg .bar { fill: var(--info); }
svg .bar.fail { fill: var(--bad); }
svg .line { fill: none; stroke: var(--info); stroke-width: 2; }
svg .dot { fill: var(--info); }
svg .axis { stroke: var(--line); }
/* Release trains: one card per environment, its members in order. */
.trains { display: grid; gap: 8px; }
.train { border: 1px solid var(--line); border-left: 6px solid var(--tone); border-radius: 6px; padding: 6px 12px; overflow-wrap: anywhere; }
.train h3 { font-size: 14px; margin: 2px 0; }
.train p { margin: 2px 0; }
ol.members { margin: 4px 0; padding-left: 20px; }
ol.members li { border-left: 3px solid var(--tone); padding-left: 6px; margin-bottom: 2px; }
ul.left-out { margin: 4px 0; padding-left: 20px; color: var(--warn); }
table.rejections td { font-size: 13px; overflow-wrap: anywhere; }
@media (max-width: 900px) { .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
@media print {
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  table.matrix thead th, table.services thead th { position: static; }
  tr, .card { break-inside: avoid; }
  summary { color: var(--fg); }
  a { color: var(--fg); }
  .badge, .banner, td.cell, table.matrix thead th, svg .bar { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
