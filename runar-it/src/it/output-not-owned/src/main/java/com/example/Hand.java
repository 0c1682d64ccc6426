package com.example;

/** Written by hand: the plugin must never delete it. */
public final class Hand {}
