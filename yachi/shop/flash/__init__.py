"""Flash sales (秒杀): limited places at a special price, taken through Redis when configured.

``services`` takes places, ``settlement`` hears what the payment of a place became,
``repair`` makes Redis and the database agree again, ``store`` is the Redis copy (ADR 0013).
"""
