"""Placeholder until the game lands."""


def main() -> None:
    print("gdviz: the game is not built yet")
