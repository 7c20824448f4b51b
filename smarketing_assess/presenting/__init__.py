"""presenting"""
