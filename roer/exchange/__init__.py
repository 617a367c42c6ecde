"""The benchmark across installations: signed exports of benchmark figures, their import, and open data."""
