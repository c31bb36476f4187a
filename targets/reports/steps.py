"""Progress of a report being made: real stages reported as fractions of the whole job.

`render_report(..., progress=callback)` calls `callback(fraction, stage)` as each stage starts
(fraction in [0, 1], strictly increasing, the last call `(1.0, "done")`). Stages are stable ids
("gaps", "sheet:summary", "section:indicators", "pdf:page:12" …); `stage_label` words them in
Chinese or English. The weights that split the bar among stages come from timing the bundled data (see
`targets/reports/__init__.py`): a stage that takes longer gets a longer stretch of the bar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

ProgressCallback = Callable[[float, str], None]

DONE = "done"

# the model's stages: stage id -> (zh, en)
MODEL_STAGES: dict[str, tuple[str, str]] = {
    "gaps": ("计算差距", "computing gaps"),
    "details": ("整理各指标序列", "gathering each indicator's series"),
    "assessment": ("评估目标年份", "assessing the goal year"),
    "convergence": ("计算区域差异", "measuring regional convergence"),
    "contribution": ("计算各地区贡献", "computing regional contributions"),
    "methods": ("比较判断方法", "comparing status methods"),
    "drafting": ("起草评估文字", "drafting the assessment text"),
}
# the parts a writer lays out, named in "sheet:PART" and "section:PART" stages
PARTS: dict[str, tuple[str, str]] = {
    "summary": ("摘要", "summary"),
    "gaps": ("差距表", "gap table"),
    "assessment": ("目标年份评估", "goal-year assessment"),
    "convergence": ("区域差异", "convergence"),
    "contribution": ("地区贡献", "regional contributions"),
    "methods": ("方法比较", "methods compared"),
    "indicators": ("各指标详情", "indicator details"),
    "method": ("方法说明", "method"),
    "sources": ("来源与数据批次", "sources and imports"),
    "vintages": ("数据批次", "imports"),
    "title": ("封面", "title page"),
    "draft": ("评估文字", "drafted text"),
    "charts": ("图表", "charts"),
    "annex": ("来源附录", "sources annex"),
}
WRITER_STAGES: dict[str, tuple[str, str]] = {
    "sheet": ("写入工作表：{part}", "writing sheet: {part}"),
    "section": ("编排章节：{part}", "composing section: {part}"),
    "xlsx:save": ("保存 Excel 文件", "saving the Excel file"),
    "csv:write": ("写入 CSV", "writing the CSV"),
    "pdf:layout": ("PDF 分页排版", "laying out the PDF pages"),
    "pdf:styles": ("PDF 排版：应用样式", "laying out the PDF: applying styles"),
    "pdf:boxes": ("PDF 排版：构建版面", "laying out the PDF: building the boxes"),
    "pdf:write": ("写入 PDF 文件", "writing the PDF file"),
    "docx:save": ("保存 Word 文件", "saving the Word file"),
    DONE: ("完成", "finished"),
}
PAGE_STAGE = ("PDF 排版：第 {page} 页", "laying out PDF page {page}")  # "pdf:page:N"


def stage_label(stage: str, lang: str) -> str:
    """A stage id in words: `stage_label("sheet:gaps", "en")` -> 'writing sheet: gap table'."""
    en = int(lang == "en")
    kind, _, part = stage.partition(":")
    if part and kind in ("sheet", "section"):
        words = PARTS.get(part, (part, part))
        return WRITER_STAGES[kind][en].format(part=words[en])
    if stage.startswith("pdf:page:"):
        return PAGE_STAGE[en].format(page=stage.rsplit(":", 1)[1])
    known = MODEL_STAGES.get(stage) or WRITER_STAGES.get(stage)
    return known[en] if known else stage


class Progress:
    """Maps the stages of one part of a job onto [start, end] of the whole and reports them.

    `Progress(None)` does nothing, so library code calls it unconditionally. A part's stretch is
    split among its stages by weight (`split`); each stage announces itself as it starts.
    """

    def __init__(
        self, callback: ProgressCallback | None, start: float = 0.0, end: float = 1.0
    ) -> None:
        self.callback = callback
        self.start = start
        self.end = end

    def at(self, fraction: float, stage: str) -> None:
        """Report `stage` as starting `fraction` of the way through this part."""
        if self.callback is not None:
            self.callback(self.start + (self.end - self.start) * fraction, stage)

    def begin(self, stage: str) -> None:
        self.at(0.0, stage)

    def part(self, lo: float, hi: float) -> Progress:
        """The stretch [lo, hi] of this part (fractions of it) as a Progress of its own."""
        width = self.end - self.start
        return Progress(self.callback, self.start + width * lo, self.start + width * hi)

    def split(self, weights: Sequence[float]) -> list[Progress]:
        """Consecutive parts, each as long as its weight's share (every weight must be > 0)."""
        if any(w <= 0 for w in weights):
            raise ValueError("every stage needs a positive weight, or fractions would repeat")
        total = float(sum(weights))
        parts, done = [], 0.0
        for w in weights:
            parts.append(self.part(done / total, (done + w) / total))
            done += w
        return parts

    def stages(self, weighted: Sequence[tuple[str, float]]) -> Stages:
        return Stages(self, weighted)

    def finish(self) -> None:
        """The whole job is done: (1.0, "done")."""
        if self.callback is not None:
            self.callback(1.0, DONE)


class Stages:
    """Named stages of one part: `stages.begin("gaps")` reports it and returns its own stretch."""

    def __init__(self, progress: Progress, weighted: Sequence[tuple[str, float]]) -> None:
        names = [name for name, _ in weighted]
        self._parts = dict(zip(names, progress.split([w for _, w in weighted]), strict=True))

    def begin(self, stage: str) -> Progress:
        part = self._parts[stage]
        part.begin(stage)
        return part

    def part(self, stage: str) -> Progress:
        """A stage's stretch without announcing it (its own sub-stages will)."""
        return self._parts[stage]


def as_progress(progress: ProgressCallback | Progress | None) -> Progress:
    """A callback (or nothing) as a Progress over the whole job; a Progress as it is."""
    return progress if isinstance(progress, Progress) else Progress(progress)
