"""Beyond ranks: how sure a position is, how it moves with theme weights, value for money,
similar authorities, and which changes are more than year-to-year noise."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from benchmarking import charts
from benchmarking.errors import BenchmarkingError
from benchmarking.method import sensitivity, significance, similarity, uncertainty, value_for_money
from benchmarking.method.groups import SIMILAR_PREFIX, SIMILAR_SIZES
from benchmarking.method.positions import LA_CORE, OVERALL
from benchmarking.service.benchmark import context_features
from benchmarking.service.context_views import context_ranks
from benchmarking.text.formatting import money, ordinal, position_text
from pages._common import (
    benchmark,
    catalogue,
    current_selection,
    db_path,
    escape,
    page_header,
    show_chart,
    slug,
    stamp,
    style,
)

REPLICATE_CHOICES = [200, 1000, 2000]
WEIGHT_MIN, WEIGHT_MAX, WEIGHT_STEP = 0.0, 3.0, 0.5


@st.cache_resource(show_spinner="Redrawing the indicator basket ...", max_entries=8)
def _bootstrap(
    path: str,
    file_stamp: float,
    group_id: str,
    focus: str,
    period: str,
    n_replicates: int,
    scaled: bool,
    _catalogue,
    _bench,
) -> uncertainty.BootstrapPositions:
    return uncertainty.bootstrap_positions(_bench.ranks, _catalogue.indicators, period, n_replicates, scaled=scaled)


@st.cache_resource(show_spinner="Testing every change against its indicator's noise ...", max_entries=8)
def _significance(path: str, file_stamp: float, group_id: str, focus: str, _catalogue, _bench) -> pd.DataFrame:
    return significance.significant_change(_bench.travel, _catalogue.indicators)


selection = current_selection()
page_header("Beyond ranks", selection)
cat = catalogue()
bench = benchmark(selection)
period, focus = selection.period, selection.focus
names = dict(zip(cat.authorities["code"], cat.authorities["name"]))
# The focus authority is part of the key: it decides neighbour and similar groups, and is
# added to any group it is not in (comparator_group).
cache_key = (db_path(), stamp(), selection.group_id, focus)
columns_choice = [OVERALL, LA_CORE] + cat.themes
st.markdown(
    "A position such as *3rd of 32* rests on a basket of indicators with missing data, ties and noise. "
    "This page asks how sure that position is, how it depends on the weight each theme carries, who gets "
    "more for their money, who is genuinely like us, and which changes since last year are more than "
    "the usual year-to-year movement."
)

# -- 1. rank uncertainty ------------------------------------------------------------------------

st.header("How sure is the position?")
left, right = st.columns(2)
theme = left.selectbox("Theme", columns_choice, key="beyond_theme")
n_replicates = right.selectbox(
    "Bootstrap replicates", REPLICATE_CHOICES, index=1, key="beyond_replicates", format_func=lambda n: f"{n:,}"
)
try:
    boot = _bootstrap(*cache_key, period, n_replicates, selection.scaled, cat, bench)
except BenchmarkingError as error:
    st.error(str(error))
    st.stop()
intervals = boot.intervals()
intervals["name"] = intervals["authority_code"].map(names).fillna(intervals["authority_code"])
intervals["is_focus"] = intervals["authority_code"] == focus
shown = intervals[intervals["theme"] == theme]
focus_rows = intervals[intervals["is_focus"]].set_index("theme")
if shown["position"].notna().any():
    n_positioned = int(shown["n_positioned"].iloc[0])
    title = f"{theme} position with its {boot.level:.0%} interval, {period}"
    subtitle = selection.subtitle(f"{n_replicates:,} bootstrap redraws of the indicator basket within themes")
    chart = charts.interval_chart(shown, n_positioned, title, subtitle, style=style(selection))
    show_chart(chart, shown.drop(columns=["is_focus"]), title, key="beyond-interval")
else:
    st.info(f"No authority has a {theme} position in {period}.")
if theme in focus_rows.index:
    st.markdown(
        escape(uncertainty.interval_sentence(selection.focus_name, theme, period, focus_rows.loc[theme], n_replicates))
    )
st.caption(
    "**How this is worked out.** Each redraw keeps the authorities and their values but redraws the indicators: "
    "within every theme as many indicators as it has, at random with replacement, so some count twice and "
    "others not at all. Average ranks and positions are recomputed for each redraw exactly as the engine does "
    f"(coverage rule included). The interval holds the middle {boot.level:.0%} of the redrawn positions "
    "(widened to include the published position in the rare case it falls outside). The draws are seeded, "
    "so the same data always gives the same interval."
)

with st.expander(f"{selection.focus_name}'s interval on every theme"):
    table = focus_rows.reset_index()
    table["position and interval"] = [
        uncertainty.interval_text(row.position, row.lower, row.upper, row.n_positioned, row.level)
        for row in table.itertuples()
    ]
    st.dataframe(
        table[["theme", "position and interval", "average_rank", "share_positioned"]],
        hide_index=True,
        key="beyond_focus_intervals",
        column_config={
            "average_rank": st.column_config.NumberColumn("Average rank", format="%.2f"),
            "share_positioned": st.column_config.NumberColumn("Share of redraws with a position", format="percent"),
        },
    )

if theme in focus_rows.index and pd.notna(focus_rows.loc[theme, "position"]):
    st.subheader(f"Is {ordinal(focus_rows.loc[theme, 'position'])} really different from its neighbours?")
    shares = uncertainty.ahead_shares(boot, focus, theme)
    low, high = focus_rows.loc[theme, "lower"], focus_rows.loc[theme, "upper"]
    near = shares[(shares["upper"] >= low) & (shares["lower"] <= high)].copy()
    near.insert(0, "authority", near["authority_code"].map(names))
    st.dataframe(
        near.drop(columns=["authority_code", "n_compared"]),
        hide_index=True,
        key="beyond_ahead",
        column_config={
            "ahead": st.column_config.NumberColumn(f"{selection.focus_name} ahead", format="percent"),
            "level_with": st.column_config.NumberColumn("Level", format="percent"),
            "behind": st.column_config.NumberColumn(f"{selection.focus_name} behind", format="percent"),
        },
    )
    st.caption(
        "Authorities whose intervals overlap the focus authority's, with the share of redraws in which "
        "the focus authority places ahead, level or behind. Near 50% means the order between them is "
        "not settled by the data."
    )

# -- 2. sensitivity to theme weights ------------------------------------------------------------

st.header("How much does the weighting of themes matter?")
st.markdown(
    "The Overall position averages the ranks of **every** indicator, so a theme with more indicators counts "
    "for more. A theme weight multiplies the weight of each of its indicators; with every weight equal the "
    "default Overall position comes back exactly. Set a theme to 0 to leave it out."
)
ranked_themes = sensitivity.effective_theme_shares(bench.ranks, cat.indicators, period)["theme"].tolist()
weight_keys = {t: f"beyond_weight_{slug(t)}" for t in ranked_themes}


def _equal_weights() -> None:
    for key in weight_keys.values():
        st.session_state[key] = 1.0


st.button("Equal weights", key="beyond_equal_weights", on_click=_equal_weights)
slider_columns = st.columns(3)
weights = {}
for i, t in enumerate(ranked_themes):
    weights[t] = slider_columns[i % 3].slider(t, WEIGHT_MIN, WEIGHT_MAX, 1.0, WEIGHT_STEP, key=weight_keys[t])
try:
    weighted = sensitivity.theme_weighted_positions(
        bench.ranks, cat.indicators, period, weights, scaled=selection.scaled
    )
    shares_frame = sensitivity.effective_theme_shares(bench.ranks, cat.indicators, period, weights)
except (ValueError, BenchmarkingError) as error:
    st.warning(str(error))
    weighted = None
if weighted is not None:
    overall = weighted[weighted["theme"] == OVERALL].copy()
    overall.insert(1, "name", overall["authority_code"].map(names))
    mine = overall[overall["authority_code"] == focus]
    if len(mine):
        row = mine.iloc[0]
        change = row["change"]
        left, right = st.columns(2)
        left.metric(
            "Overall position with these weights",
            position_text(row["position"], row["n_positioned"]),
            delta=None if pd.isna(change) or change == 0 else f"{int(change):+d} places",
            help="Positive = climbs against the default (equal) weighting.",
        )
        right.metric("Default Overall position", position_text(row["default_position"], row["n_positioned"]))
    title = f"Each theme's share of the Overall average, {period}"
    chart = charts.theme_weights_chart(
        shares_frame, title, selection.subtitle("Share = weight × indicators"), style=style(selection)
    )
    show_chart(chart, shares_frame, title, key="beyond-weights")
    with st.expander("Every authority's Overall position with these weights"):
        st.dataframe(
            overall.drop(columns=["theme"]),
            hide_index=True,
            key="beyond_weighted_table",
            column_config={
                "default_average_rank": st.column_config.NumberColumn(format="%.2f"),
                "average_rank": st.column_config.NumberColumn(format="%.2f"),
            },
        )

st.subheader("Leave one theme out")
left_out = sensitivity.leave_one_theme_out(bench.ranks, cat.indicators, period, scaled=selection.scaled)
mine = left_out[left_out["authority_code"] == focus].copy()
mine["position without it"] = [position_text(p, n) for p, n in zip(mine["position"], mine["n_positioned"])]
st.dataframe(
    mine[["left_out", "position without it", "default_position", "change"]].rename(
        columns={"left_out": "theme left out", "default_position": "default position"}
    ),
    hide_index=True,
    key="beyond_leave_one_out",
)
st.caption(
    f"{selection.focus_name}'s Overall position with each theme left out in turn (positive change = climbs "
    "without that theme, so the theme was holding it back)."
)

# -- 3. value for money -------------------------------------------------------------------------

st.header("Who gets more for their money?")
vfm_theme = st.selectbox("Theme for value for money", columns_choice, key="beyond_vfm_theme")
scores = value_for_money.performance_scores(
    cat.reporting_values, cat.indicators, period, vfm_theme, authority_codes=bench.group.members
)
spend = context_ranks(cat, bench, vfm_theme, "Revenue", period)
deprivation = context_ranks(cat, bench, OVERALL, "Deprivation", period)
context = spend[["authority_code", "value"]].rename(columns={"value": "spend_per_head"})
imd = (
    cat.deprivation.loc[cat.deprivation["edition"] == deprivation["basis"].iloc[0]]
    if len(deprivation)
    else cat.deprivation.iloc[0:0]
)
context = context.merge(
    imd[["authority_code", "average_score"]].rename(columns={"average_score": "deprivation"}),
    on="authority_code",
    how="left",
)
vfm, regression = value_for_money.value_for_money_table(scores, context)
if vfm.empty:
    st.info(f"No authority has both a {vfm_theme} performance score and spend per head in {period}.")
else:
    vfm.insert(1, "name", vfm["authority_code"].map(names))
    vfm["is_focus"] = vfm["authority_code"] == focus
    frontier = value_for_money.frontier_line(vfm)
    spend_basis = spend["basis"].iloc[0] if len(spend) else "–"
    title = f"{vfm_theme} performance against spend per head, {period}"
    subtitle = selection.subtitle(f"Spend: {spend_basis}. Dashed staircase: the efficiency frontier")
    chart = charts.frontier_chart(vfm, frontier, title, subtitle, style=style(selection))
    show_chart(chart, vfm.drop(columns=["is_focus"]), title, key="beyond-frontier")
    mine = vfm[vfm["is_focus"]]
    if len(mine):
        row = mine.iloc[0]
        if row["on_frontier"]:
            text = (
                f"{selection.focus_name} is **on the efficiency frontier**: no authority in the group performs "
                f"at least as well for less ({money(row['spend_per_head'])} per head)."
            )
        else:
            text = (
                f"{selection.focus_name} is **{money(row['spend_gap'])} per head** above the frontier: "
                f"{names.get(row['benchmark_code'], row['benchmark_code'])} performs at least as well on "
                f"{money(row['spend_per_head'] - row['spend_gap'])} per head."
            )
        if regression is not None and pd.notna(row["residual"]):
            text += (
                f" Against its spend and deprivation it performs **{row['verdict']}** (residual "
                f"{row['residual']:+.2f}, {row['standardised_residual']:+.1f} residual standard deviations)."
            )
        st.markdown(text)
    left, right = st.columns([3, 2])
    with left:
        st.dataframe(
            vfm.drop(columns=["is_focus", "benchmark_code"]),
            hide_index=True,
            key="beyond_vfm_table",
            column_config={
                "performance_score": st.column_config.NumberColumn("Performance score", format="%.2f"),
                "spend_per_head": st.column_config.NumberColumn("Spend per head", format="£%.0f"),
                "spend_gap": st.column_config.NumberColumn("Spend gap (£/head)", format="£%.0f"),
                "performance_gap": st.column_config.NumberColumn("Performance gap", format="%.2f"),
                "predicted": st.column_config.NumberColumn(format="%.2f"),
                "residual": st.column_config.NumberColumn(format="%+.2f"),
                "standardised_residual": st.column_config.NumberColumn(format="%+.2f"),
            },
        )
    with right:
        if regression is None:
            st.info("Too few authorities with performance, spend and deprivation to fit the regression.")
        else:
            st.markdown(
                f"**Regression** of the performance score on spend per head and deprivation "
                f"(n = {regression.n}, R² = {regression.r_squared:.2f}, "
                f"residual SD = {regression.residual_sd:.2f})"
            )
            st.dataframe(
                regression.coefficients,
                hide_index=True,
                key="beyond_regression",
                column_config={
                    name: st.column_config.NumberColumn(format="%.4f")
                    for name in ("estimate", "std_error", "t", "p_value")
                },
            )
    st.markdown("**Assumptions**\n\n" + "\n".join(f"- {text}" for text in value_for_money.ASSUMPTIONS))

# -- 4. similar authorities ---------------------------------------------------------------------

st.header("Who is genuinely like us?")
features = context_features(cat)
max_k = max(1, len(features) - 1)
k = st.slider("Number of similar authorities", 1, min(20, max_k), min(10, max_k), key="beyond_k")
try:
    neighbours = similarity.nearest_neighbours(features, focus, k)
except BenchmarkingError as error:
    st.error(str(error))
    neighbours = None
if neighbours is not None:
    table = neighbours.copy()
    table.insert(1, "name", table["authority_code"].map(names))
    if "population" in table:
        table["population"] = (10 ** table["population"]).round(-3)
    st.dataframe(
        table,
        hide_index=True,
        key="beyond_similar",
        column_config={
            "distance": st.column_config.NumberColumn("Distance", format="%.2f"),
            "population": st.column_config.NumberColumn("Population", format="%d"),
            "deprivation": st.column_config.NumberColumn("IMD average score", format="%.1f"),
            "spend_per_head": st.column_config.NumberColumn("Spend per head", format="£%.0f"),
            "funding_per_head": st.column_config.NumberColumn("Core spending power per head", format="£%.0f"),
        },
    )
    used = "; ".join(similarity.FEATURE_LABELS[name] for name in features.columns[1:])
    st.caption(
        f"Distance: root mean square difference of standardised context variables ({used}), "
        "so 1.0 means one standard deviation apart on the typical variable. Spend and funding are the "
        "latest held."
    )
    sizes = ", ".join(str(size) for size in SIMILAR_SIZES)
    st.info(
        f"These computed groups can be chosen as the comparator group in the sidebar "
        f"('{SIMILAR_SIZES[1]} most similar authorities', ids `{SIMILAR_PREFIX}<k>` for k = {sizes})."
    )

own_lists = cat.comparator_groups[cat.comparator_groups["authority_code"] == focus]
if own_lists.empty:
    st.caption(
        "No published nearest-neighbour list is loaded for this authority (Oflog's can be loaded with "
        "`python -m benchmarking import-source oflog --source DIR`)."
    )
for (group_id, name), rows in own_lists.groupby(["group_id", "name"]):
    st.subheader(f"{name} (loaded list)")
    listed = similarity.distances_to(features, focus, list(rows["member_code"]))
    listed.insert(1, "name", listed["authority_code"].map(names))
    listed = listed.rename(columns={"neighbour_rank": "rank by computed distance"})
    st.dataframe(
        listed,
        hide_index=True,
        key=f"beyond_list_{slug(str(group_id))}",
        column_config={"distance": st.column_config.NumberColumn("Distance", format="%.2f")},
    )
    st.caption(f"Choose 'neighbours:{group_id}' as the comparator group to rank among this list.")

# -- 5. significance of change ------------------------------------------------------------------

st.header("Which changes are more than noise?")
tested = _significance(*cache_key, cat, bench)
mine = tested[(tested["authority_code"] == focus) & (tested["period"] == period)].copy()
mine = mine.merge(cat.indicators[["id", "name", "theme", "unit"]], left_on="indicator_id", right_on="id", how="left")
counts = {key: int(n) for key, n in mine.groupby("assessment", observed=False).size().items()}
arrows = {key: int(n) for key, n in mine.groupby("direction", observed=False).size().items()}
columns = st.columns(3)
columns[0].metric("Improved (arrow)", arrows.get("improved", 0))
columns[1].metric("Significantly improved", counts.get(significance.SIGNIFICANTLY_IMPROVED, 0))
columns[2].metric("Significantly worsened", counts.get(significance.SIGNIFICANTLY_WORSENED, 0))
only_significant = st.toggle("Only significant changes", key="beyond_significant_only")
if only_significant:
    mine = mine[mine["significant"]]
table = mine[
    ["name", "theme", "assessment", "direction", "previous_period", "previous_value", "value", "z", "p_value"]
].sort_values(["assessment", "theme", "name"])
st.dataframe(
    table,
    hide_index=True,
    key="beyond_significance",
    column_config={
        "z": st.column_config.NumberColumn(format="%+.2f"),
        "p_value": st.column_config.NumberColumn("p", format="%.3f"),
    },
)
st.caption(
    "**The test.** The Compendium's arrows mark any change of more than 1% and 'do not necessarily represent "
    "statistically significant change'. Here each indicator's usual year-to-year movement is measured across "
    "the comparator group: every authority's change from its previous value, less the group's median change "
    "that year (so a shift that moves everyone is not noise), summarised as a robust standard deviation "
    "(1.4826 × the median absolute deviation, pooled over all years). A change is significant when it exceeds "
    "1.96 of those standard deviations (two-sided, 5%). At 5%, about one unchanged indicator in twenty is "
    "still flagged by chance."
)
