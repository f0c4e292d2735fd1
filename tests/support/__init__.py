"""What the tests share: factories, the URL walker, bulk builders, journeys through the
public form, services of their own, a fake Notify, the clock, and the worlds tests build."""
