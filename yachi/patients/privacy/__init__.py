"""The patient's privacy (PIPL): consents, and the family's part of downloading and
erasing one's personal data; the pages that ask for and show them."""
