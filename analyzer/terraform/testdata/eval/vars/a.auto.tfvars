from_auto = "a-auto"
from_cli = "a-auto"
