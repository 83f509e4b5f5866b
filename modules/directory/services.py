def categories_seed() -> None:
    pass
