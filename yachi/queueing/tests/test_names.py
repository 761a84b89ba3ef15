from yachi.queueing.names import mask_name, mask_phone


def test_a_board_never_shows_a_whole_name():
    assert mask_name("张三") == "张*"
    assert mask_name("张小三") == "张*三"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_name("") == ""
    assert mask_phone("138 0000 1234") == "1234"
