"""What dates and facts mean at this facility: 年度 and 和暦, holidays, closed days, which plan covers a
day, the days a series keeps, the ways to apply and to reach the facility. Pure functions over the models."""
