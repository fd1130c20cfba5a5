"""Where activities come from and replies go: Teams (Bot Connector webhook), the console, later Matrix.

Every channel is a botbuilder ``BotAdapter`` feeding the one ``SamverkanBot`` handler, so botbuilder
imports stay here and in ``dialogs/``.
"""
