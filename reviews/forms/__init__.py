"""Forms of review pages, one module per part of the cycle. They check the shape of input;
services hold the rules."""
