"""Qt item models: they serve cached rows and never query inside ``data()``."""
