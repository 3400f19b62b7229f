from_cli = "file"
