"""The privacy routes: policies and consent (`consent`), the rights and HR's data-request queue (`rights`)."""
