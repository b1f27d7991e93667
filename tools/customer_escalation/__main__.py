"""`python -m customer_escalation`: the same command line as the `customer-escalation` console script."""

import sys

from .cli import main

sys.exit(main())
