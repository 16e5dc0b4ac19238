"""Build the site into dist/: the same as `torchsite build`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "src"))

from torchsite.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", "--project", str(Path(__file__).parent), *sys.argv[1:]]))
