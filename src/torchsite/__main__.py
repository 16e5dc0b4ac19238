"""`python -m torchsite`."""

import sys

from torchsite.cli import main

sys.exit(main())
