"""Referrals (老带新): invite codes and links, the two-level referral graph, rewards on
the invitee's first completed paid visit, reach statistics."""
