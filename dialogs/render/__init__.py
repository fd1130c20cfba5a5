"""How replies look: text, cards and images."""
