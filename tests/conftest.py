"""Shared test set-up."""

import mpmath as mp

# References in mpmath carry far more digits than float64 needs (~16), so
# they are exact to the last bit of every result compared against them.
mp.mp.dps = 60
