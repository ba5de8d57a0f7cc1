describe('runtime', () => {
  it('runs on Node 22, the Forge runtime (nodejs22.x)', () => {
    expect(process.versions.node.split('.')[0]).toBe('22');
  });
});
