"""Chinese for the reporting pages' forms."""

ZH = {
    "%(field)s: %(message)s": "%(field)s：%(message)s",
}
