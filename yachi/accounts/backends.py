from django.contrib.auth.backends import ModelBackend


class PhoneBackend(ModelBackend):
    """Django's model backend, finding users by the blind index of their number.

    The mobile number is encrypted, so it cannot be a unique column; its blind index
    is, and ``User.objects.get_by_natural_key`` looks it up. Having our own backend is
    also what tells Django's checks that uniqueness is taken care of (auth.W004).
    """
