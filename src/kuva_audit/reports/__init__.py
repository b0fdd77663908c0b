"""Goal progress for coordinators: the two figures, their reasons, trends and the goal card."""
