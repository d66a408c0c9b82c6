"""Kit supply: stocks, routes and orders (``supply``), consumption points, the launch hold and kit gates
(``kit_points``)."""
