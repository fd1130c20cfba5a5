import pytest

from tests.support.connector import RecordingConnector

pytest_plugins = ["tests.support.databases", "tests.support.synapse"]


@pytest.fixture
async def connector():
    """A local Bot Connector on loopback that records what the bot sends."""
    recording = RecordingConnector()
    await recording.start()
    yield recording
    await recording.stop()
