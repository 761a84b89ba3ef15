"""What of the checkpoint file a backup keeps: the checkpoints its snapshot's head counts."""


def test_a_backup_keeps_only_the_checkpoints_its_snapshot_counts():
    from datetime import UTC, datetime

    from yachi.compliance.checkpoints import Checkpoint, checkpoints_counted

    at = datetime(2026, 12, 1, 8, tzinfo=UTC)
    lines = [
        Checkpoint.signed(number=n, seq=10 * n, digest="ab" * 32, at=at).line() for n in (1, 2, 3)
    ]
    text = "\n".join([lines[0], "a line cut short by a crash", lines[1], lines[2]]) + "\n"
    kept = checkpoints_counted(text, 2).splitlines()
    assert kept == [lines[0], "a line cut short by a crash", lines[1]]
    assert checkpoints_counted(text, 0).splitlines() == ["a line cut short by a crash"]
