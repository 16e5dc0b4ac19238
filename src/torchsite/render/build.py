"""The build object rendering takes: the validated inputs, the built charts, their SVGs and the share image."""

from __future__ import annotations

from dataclasses import dataclass, field

from torchsite.charts.export import ShareImage
from torchsite.charts.model import Chart
from torchsite.inputs.config import SiteConfig
from torchsite.inputs.facts import FactSheet
from torchsite.inputs.figures import Figure
from torchsite.inputs.story import Story


@dataclass(frozen=True)
class Build:
    """Everything the pages and files are rendered from; without SVGs, charts show their table first."""

    config: SiteConfig
    sheet: FactSheet
    figures: dict[str, Figure]
    story: Story
    methodology: Story | None = None
    charts: tuple[Chart, ...] = ()
    svgs: dict[str, dict[str, bytes]] = field(default_factory=dict)  # chart id -> layout -> SVG
    share_image: ShareImage | None = None
