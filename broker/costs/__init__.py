"""What the work costs: time logged per task, hourly costs, budgets, results and the partners who
supply specialists (models, money arithmetic, services and reports)."""
