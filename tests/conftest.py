pytest_plugins = ["tests.support.databases"]
